import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import { hashPassword, schemeOf, verifyPassword } from '../../src/crypto/password.ts';

const ab64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');

test('new hashes are argon2id and verify without rehash', async () => {
  const phc = await hashPassword('correct horse');
  expect(schemeOf(phc)).toBe('argon2id');
  expect(await verifyPassword(phc, 'correct horse')).toEqual({ ok: true, needsRehash: false });
  expect(await verifyPassword(phc, 'wrong')).toEqual({ ok: false, needsRehash: false });
});

test('imported bcrypt and pbkdf2-sha256 hashes verify and ask for a rehash', async () => {
  const bcryptHash = await bcrypt.hash('s3cret', 4);
  expect(await verifyPassword(bcryptHash, 's3cret')).toEqual({ ok: true, needsRehash: true });
  expect((await verifyPassword(bcryptHash, 'nope')).ok).toBe(false);

  const salt = crypto.randomBytes(16);
  const digest = crypto.pbkdf2Sync('s3cret', salt, 1000, 32, 'sha256');
  const pbkdf2 = `$pbkdf2-sha256$1000$${ab64(salt)}$${ab64(digest)}`;
  expect(schemeOf(pbkdf2)).toBe('pbkdf2-sha256');
  expect(await verifyPassword(pbkdf2, 's3cret')).toEqual({ ok: true, needsRehash: true });
  expect((await verifyPassword(pbkdf2, 'nope')).ok).toBe(false);
});

test('unknown formats never verify', async () => {
  expect(await verifyPassword('plaintext', 'plaintext')).toEqual({ ok: false, needsRehash: false });
});
