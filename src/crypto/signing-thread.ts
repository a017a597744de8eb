// The worker side of src/crypto/thread-signer.ts: signs batches of JWS signing inputs with keys the
// main thread sent once, and answers each batch with one message.
import crypto from 'node:crypto';
import { parentPort } from 'node:worker_threads';

export type ThreadAlg = 'ES256' | 'RS256' | 'EdDSA';
export interface SignRequest { id: number; alg: ThreadAlg; keyId: number; key?: crypto.KeyObject; input: string }
export interface SignAnswer { id: number; signature?: string; error?: string }

const keys = new Map<number, crypto.KeyObject>();

function sign({ alg, keyId, key: sent, input }: SignRequest): string {
  if (sent) keys.set(keyId, sent);
  const key = keys.get(keyId);
  if (!key) throw new Error('the signing thread has no such key');
  const data = Buffer.from(input);
  switch (alg) {
    // ECDSA signatures in JWS are r‖s (IEEE P1363), not DER.
    case 'ES256': return crypto.sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'EdDSA': return crypto.sign(null, data, key).toString('base64url');
    case 'RS256': return crypto.sign('sha256', data, key).toString('base64url');
  }
}

parentPort!.on('message', (batch: SignRequest[]) => {
  parentPort!.postMessage(batch.map((request): SignAnswer => {
    try { return { id: request.id, signature: sign(request) }; } catch (error) { return { id: request.id, error: (error as Error).message }; }
  }));
});
