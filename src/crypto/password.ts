// Password hashing: new hashes are argon2id (PHC string). Imported hashes in argon2i/argon2id,
// bcrypt ($2a$/$2b$/$2y$) or passlib's pbkdf2-sha256 form verify too, and ask to be rehashed.
import crypto from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

// argon2id with the OWASP-recommended floor (19 MiB, 2 passes); the library's default algorithm is argon2id.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export type PasswordScheme = 'argon2id' | 'argon2i' | 'bcrypt' | 'pbkdf2-sha256';

export function schemeOf(phc: string): PasswordScheme | undefined {
  if (phc.startsWith('$argon2id$')) return 'argon2id';
  if (phc.startsWith('$argon2i$')) return 'argon2i';
  if (/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(phc)) return 'bcrypt';
  if (/^\$pbkdf2-sha256\$\d+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+$/.test(phc)) return 'pbkdf2-sha256';
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2_OPTIONS);
}

/** passlib's "adapted base64": standard base64 with '.' for '+' and no padding. */
const ab64 = (s: string) => Buffer.from(s.replace(/\./g, '+'), 'base64');

function verifyPbkdf2(phc: string, password: string): boolean {
  const [, , rounds, salt, digest] = phc.split('$');
  const expected = ab64(digest);
  const actual = crypto.pbkdf2Sync(password, ab64(salt), Number(rounds), expected.length, 'sha256');
  return expected.length > 0 && crypto.timingSafeEqual(actual, expected);
}

export interface PasswordCheck {
  ok: boolean;
  /** True when the stored hash is not argon2id with current options: store a fresh hash. */
  needsRehash: boolean;
}

export async function verifyPassword(phc: string, password: string): Promise<PasswordCheck> {
  const scheme = schemeOf(phc);
  let ok = false;
  try {
    if (scheme === 'argon2id' || scheme === 'argon2i') ok = await argon2Verify(phc, password);
    else if (scheme === 'bcrypt') ok = await bcrypt.compare(password, phc);
    else if (scheme === 'pbkdf2-sha256') ok = verifyPbkdf2(phc, password);
  } catch {
    ok = false;
  }
  const current = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;
  return { ok, needsRehash: ok && !phc.startsWith(current) };
}
