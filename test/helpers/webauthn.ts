// A software authenticator for HTTP-level passkey tests: real ES256 keys (node:crypto), real
// authenticatorData (rpIdHash, flags, signature counter, attested credential data) and CBOR
// (`none` attestation, COSE key) through @simplewebauthn's own CBOR codec, so the server checks
// real signatures. It answers options as a browser's navigator.credentials would, in the
// Secrets Vault wire names (raw_id, client_data_json, …).
import crypto from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => crypto.createHash('sha256').update(data).digest();

export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 };

export interface SoftPasskey {
  id: Buffer;
  privateKey: crypto.KeyObject;
  cosePublicKey: Uint8Array;
  counter: number;
  userHandle: string | null;
  rpId: string;
}

export interface Ceremony {
  /** The origin written into clientDataJSON (default: the authenticator's). */
  origin?: string;
  /** authenticatorData flags (default UP | UV). */
  flags?: number;
  /** The signature counter to report (default: one more than last time; 0 for a counterless one). */
  counter?: number;
  /** Sign in with this passkey (default: the first one the options allow, else the newest). */
  passkey?: SoftPasskey;
  /** Sign with the hash of this RP id instead (a phishing site's). */
  rpId?: string;
}

function coseKeyOf(publicKey: crypto.KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return isoCBOR.encode(new Map<number, any>([
    [1, 2], [3, -7], [-1, 1], [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))], [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
  ]));
}

function authenticatorData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([sha256(rpId), Buffer.from([flags | (attested ? FLAGS.AT : 0)]), count, attested ?? Buffer.alloc(0)]);
}

export class SoftAuthenticator {
  passkeys: SoftPasskey[] = [];
  /** `counterless`: report counter 0 every time, as many platform authenticators do. */
  readonly origin: string;
  readonly rpId: string;
  readonly counterless: boolean;
  constructor(origin: string, rpId = new URL(origin).hostname, counterless = false) {
    this.origin = origin;
    this.rpId = rpId;
    this.counterless = counterless;
  }

  /** Answers PublicKeyCredentialCreationOptionsJSON with a new ES256 passkey (or `reuse`'s id and key again). */
  register(options: any, ceremony: Ceremony & { reuse?: SoftPasskey } = {}) {
    const { privateKey, publicKey } = ceremony.reuse
      ? { privateKey: ceremony.reuse.privateKey, publicKey: crypto.createPublicKey(ceremony.reuse.privateKey) }
      : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = ceremony.reuse?.id ?? crypto.randomBytes(32);
    const passkey: SoftPasskey = {
      id, privateKey, cosePublicKey: coseKeyOf(publicKey), counter: 0, userHandle: options.user?.id ?? null, rpId: options.rp?.id ?? this.rpId,
    };
    const clientData = Buffer.from(JSON.stringify({
      type: 'webauthn.create', challenge: options.challenge, origin: ceremony.origin ?? this.origin, crossOrigin: false,
    }));
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), length, id, Buffer.from(passkey.cosePublicKey)]);
    const authData = authenticatorData(ceremony.rpId ?? passkey.rpId, ceremony.flags ?? (FLAGS.UP | FLAGS.UV), 0, attested);
    const attestationObject = isoCBOR.encode(new Map<string, any>([
      ['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(authData)],
    ]));
    if (!ceremony.reuse) this.passkeys.push(passkey);
    return {
      passkey,
      body: {
        id: b64url(id), raw_id: b64url(id), client_data_json: b64url(clientData), attestation_object: b64url(attestationObject),
        transports: ['internal'], authenticator_attachment: 'platform',
      },
    };
  }

  /** Answers PublicKeyCredentialRequestOptionsJSON: signs authenticatorData ‖ SHA-256(clientDataJSON). */
  assert(options: any, ceremony: Ceremony = {}) {
    const allowed = (options.allowCredentials ?? []).map((c: { id: string }) => c.id);
    const passkey = ceremony.passkey
      ?? this.passkeys.find((p) => allowed.includes(b64url(p.id)))
      ?? (allowed.length ? undefined : this.passkeys.at(-1));
    if (!passkey) throw new Error('the authenticator holds none of the allowed credentials');
    const counter = ceremony.counter ?? (this.counterless ? 0 : ++passkey.counter);
    const clientData = Buffer.from(JSON.stringify({
      type: 'webauthn.get', challenge: options.challenge, origin: ceremony.origin ?? this.origin, crossOrigin: false,
    }));
    const authData = authenticatorData(ceremony.rpId ?? passkey.rpId, ceremony.flags ?? (FLAGS.UP | FLAGS.UV), counter);
    const signature = crypto.sign('sha256', Buffer.concat([authData, sha256(clientData)]), passkey.privateKey);
    return {
      id: b64url(passkey.id), raw_id: b64url(passkey.id), client_data_json: b64url(clientData),
      authenticator_data: b64url(authData), signature: b64url(signature), user_handle: passkey.userHandle,
      authenticator_attachment: 'platform',
    };
  }
}

/** The same body with one byte of a base64url field flipped. */
export function tampered<T extends Record<string, unknown>>(body: T, field: keyof T, at = 10): T {
  const bytes = Buffer.from(body[field] as string, 'base64url');
  bytes[Math.min(at, bytes.length - 1)] ^= 0x01;
  return { ...body, [field]: b64url(bytes) };
}
