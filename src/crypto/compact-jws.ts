// Compact JWS signing (RFC 7515 §7.1) with node:crypto on a KeyObject held in memory, on a worker
// thread (thread-signer.ts), or here when no thread is at hand. jose signs through WebCrypto, whose
// per-signature job and promise cost the event loop more than the signature itself on the token
// endpoint's hot path; jose still verifies every token we and others issue.
import crypto from 'node:crypto';
import { ThreadSigner } from './thread-signer.ts';

export type JwsAlg = 'ES256' | 'RS256' | 'EdDSA';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signature(alg: JwsAlg, key: crypto.KeyObject, input: Buffer): Buffer | Promise<Buffer> {
  switch (alg) {
    // ECDSA signatures in JWS are r‖s (IEEE P1363), not DER.
    case 'ES256': return crypto.sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA': return crypto.sign(null, input, key);
    // An RSA-2048 signature takes about a millisecond: the thread pool keeps it off the event loop.
    case 'RS256': return new Promise((resolve, reject) => {
      crypto.sign('sha256', input, key, (error, signed) => (error ? reject(error) : resolve(signed)));
    });
  }
}

const signer = new ThreadSigner();

export async function signCompactJws(
  alg: JwsAlg, key: crypto.KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>,
): Promise<string> {
  const signingInput = `${segment({ ...header, alg })}.${segment(claims)}`;
  if (!signer.unavailable) {
    try {
      return `${signingInput}.${await signer.sign(alg, key, signingInput)}`;
    } catch { /* the thread stopped (or could not start): this one is signed here */ }
  }
  const signed = await signature(alg, key, Buffer.from(signingInput));
  return `${signingInput}.${signed.toString('base64url')}`;
}
