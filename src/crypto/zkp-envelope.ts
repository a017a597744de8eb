// Opens an `encrypted_commitment` (docs/zkp.md) with the client's cipherKey, in memory only.
import crypto from 'node:crypto';
import {
  COMMITMENT_AAD, ENVELOPE_BYTES, ENVELOPE_VERSION, b64urlDecode,
} from '../zkp/protocol.ts';

/** True when the text has the shape of an encrypted commitment (its content cannot be checked). */
export function isEnvelopeShaped(encrypted: string): boolean {
  const bytes = b64urlDecode(encrypted);
  return bytes !== null && bytes.length === ENVELOPE_BYTES && bytes[0] === ENVELOPE_VERSION;
}

const DUMMY_KEY = crypto.randomBytes(32);

/**
 * The commitment Y, or null when the key or the envelope is wrong. Does the same work whatever
 * fails (a malformed key still runs a decryption), so failures take the same time.
 */
export function openCommitment(encrypted: string, cipherKey: string): Uint8Array | null {
  const envelope = b64urlDecode(encrypted);
  const key = b64urlDecode(cipherKey);
  const usable = envelope !== null && envelope.length === ENVELOPE_BYTES && envelope[0] === ENVELOPE_VERSION
    && key !== null && key.length === 32;
  const box = usable ? Buffer.from(envelope) : Buffer.alloc(ENVELOPE_BYTES);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', usable ? Buffer.from(key) : DUMMY_KEY, box.subarray(1, 13));
    decipher.setAAD(Buffer.from(COMMITMENT_AAD, 'utf8'));
    decipher.setAuthTag(box.subarray(45, 61));
    const plain = Buffer.concat([decipher.update(box.subarray(13, 45)), decipher.final()]);
    return usable ? new Uint8Array(plain) : null;
  } catch {
    return null;
  }
}
