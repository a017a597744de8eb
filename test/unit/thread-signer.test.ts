// Signatures made on the signing thread verify as inline ones do; a thread that stops fails what
// it held (callers then sign inline) and the next signature starts a new thread with the key again.
import crypto from 'node:crypto';
import { compactVerify, createLocalJWKSet, exportJWK } from 'jose';
import { ThreadSigner } from '../../src/crypto/thread-signer.ts';
import { signCompactJws } from '../../src/crypto/compact-jws.ts';

const algs = [
  ['ES256', crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['EdDSA', crypto.generateKeyPairSync('ed25519')],
  ['RS256', crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })],
] as const;

test.each(algs)('%s: many signatures at once, each verifies under its key', async (alg, { privateKey, publicKey }) => {
  const jwks = createLocalJWKSet({ keys: [{ ...await exportJWK(publicKey), kid: 'k', alg }] });
  const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => signCompactJws(alg, privateKey, { kid: 'k', typ: 'JWT' }, { n: i })));
  for (const [i, token] of tokens.entries()) {
    const { payload, protectedHeader } = await compactVerify(token, jwks);
    expect(protectedHeader.alg).toBe(alg);
    expect(JSON.parse(Buffer.from(payload).toString())).toEqual({ n: i });
  }
});

test('a stopped thread fails what it held; the next signature starts a new one and sends the key again', async () => {
  const signer = new ThreadSigner();
  const [, { privateKey, publicKey }] = algs[0];
  const verify = (input: string, signature: string) =>
    crypto.verify('sha256', Buffer.from(input), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  expect(verify('a', await signer.sign('ES256', privateKey, 'a'))).toBe(true);
  const held = signer.sign('ES256', privateKey, 'b');
  void (signer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate(); // before it can answer
  await expect(held).rejects.toThrow(/stopped/);
  expect(verify('c', await signer.sign('ES256', privateKey, 'c'))).toBe(true);
  expect(signer.unavailable).toBe(false);
});
