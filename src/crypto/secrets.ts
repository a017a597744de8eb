// High-entropy tokens (API keys, client secrets) and how they are stored: SHA-256 is enough for
// 256-bit random tokens (no dictionary to attack); comparisons are constant-time.
import crypto from 'node:crypto';

export function newSecretToken(bytes = 21): string {
  return crypto.randomBytes(bytes).toString('base64url'); // 21 bytes → 28 URL-safe chars
}

export function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time equality of two hex digests of equal length. */
export function digestsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
