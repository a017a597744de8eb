// Encryption at rest under the master key: AES-256-GCM with a fresh 96-bit IV per value and
// associated data binding the ciphertext to its row (a kid, a credential id), so a sealed value
// copied to another row does not open. Format: `v1.<iv>.<tag>.<ciphertext>`, base64url.
import crypto from 'node:crypto';

export function seal(key: Buffer, plaintext: string | Buffer, associatedData: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const b = (x: Buffer) => x.toString('base64url');
  return `v1.${b(iv)}.${b(cipher.getAuthTag())}.${b(ciphertext)}`;
}

/** The plaintext, or an Error saying only that it does not open (never why, never the value). */
export function unseal(key: Buffer, sealed: string, associatedData: string): Buffer {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unknown encryption format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch {
    throw new Error('does not decrypt: the master key differs from the one it was sealed with, or the value was altered');
  }
}

/** The master key behind an interface, for services that seal and open values of their own. */
export class Sealer {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the master key must be 32 bytes');
    this.#key = key;
  }
  seal(plaintext: string | Buffer, associatedData: string) { return seal(this.#key, plaintext, associatedData); }
  unseal(sealed: string, associatedData: string) { return unseal(this.#key, sealed, associatedData); }
  /** A keyed digest (HMAC-SHA256 under a key derived for `purpose`): stable, unguessable stand-ins. */
  mac(purpose: string, data: string): Buffer {
    const key = Buffer.from(crypto.hkdfSync('sha256', this.#key, Buffer.alloc(0), `idgraph mac ${purpose}`, 32));
    return crypto.createHmac('sha256', key).update(data).digest();
  }
}
