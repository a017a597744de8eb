// The client side of the zero-knowledge secret login (docs/zkp.md). Used by the tests and the
// bench, and meant for the hosted login page: only @noble/curves and WebCrypto, no Node APIs.
//
//   const keys = await deriveZkpKeys(imageBytes, { tenantId, username });
//   register:     { username, email, encrypted_commitment: await encryptCommitment(keys), proto_version: 1 }
//   challenge:    { username, cipherKey: keys.cipherKey }  →  { challenge_id, challenge_data }
//   authenticate: { username, cipherKey, challenge_id, challenge_data: proveKnowledge(keys, …) }
import {
  COMMITMENT_AAD, ENVELOPE_BYTES, ENVELOPE_VERSION, KDF_ITERATIONS, PROTO_VERSION,
  b64urlDecode, b64urlEncode, commitmentOf, createProof, kdfSalt, secretScalar,
} from './protocol.ts';

export { PROTO_VERSION };

export interface ZkpKeys {
  tenantId: string;
  username: string;
  /** The secret scalar: never leaves the client. */
  x: bigint;
  /** Y = x·G, 32 bytes (ristretto255). */
  commitment: Uint8Array;
  /** 32 bytes, base64url: opens the encrypted commitment on the server, in memory only. */
  cipherKey: string;
}

const text = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

/** Derives the secret scalar and the cipher key from secret material (image bytes or a passphrase). */
export async function deriveZkpKeys(
  secret: Uint8Array | string, who: { tenantId: string; username: string },
): Promise<ZkpKeys> {
  const material = typeof secret === 'string' ? text.encode(secret) : secret;
  const base = await subtle().importKey('raw', material as Uint8Array<ArrayBuffer>, 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: kdfSalt(who.tenantId, who.username) as Uint8Array<ArrayBuffer>, iterations: KDF_ITERATIONS },
    base, 512,
  ));
  const x = secretScalar(bits.subarray(0, 32));
  return {
    tenantId: who.tenantId, username: who.username, x,
    commitment: commitmentOf(x), cipherKey: b64urlEncode(bits.subarray(32, 64)),
  };
}

/** `encrypted_commitment`: version ‖ IV ‖ AES-256-GCM(cipherKey, Y, aad) ‖ tag, base64url. */
export async function encryptCommitment(keys: ZkpKeys): Promise<string> {
  const key = await subtle().importKey('raw', b64urlDecode(keys.cipherKey) as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: text.encode(COMMITMENT_AAD), tagLength: 128 }, key, keys.commitment as Uint8Array<ArrayBuffer>,
  ));
  const out = new Uint8Array(ENVELOPE_BYTES);
  out[0] = ENVELOPE_VERSION;
  out.set(iv, 1);
  out.set(sealed, 13);
  return b64urlEncode(out);
}

/** `challenge_data` for /auth/authenticate: the proof (R ‖ s), base64url. */
export function proveKnowledge(keys: ZkpKeys, challenge: { challenge_id: string; challenge_data: string }): string {
  const random = globalThis.crypto.getRandomValues(new Uint8Array(64));
  return b64urlEncode(createProof(keys.x, keys.commitment, {
    tenantId: keys.tenantId, username: keys.username, challengeId: challenge.challenge_id, nonce: challenge.challenge_data,
  }, random));
}

export const registrationBody = async (keys: ZkpKeys, email: string, logData?: Record<string, unknown>) => ({
  username: keys.username, email, encrypted_commitment: await encryptCommitment(keys), proto_version: PROTO_VERSION,
  ...(logData ? { log_data: logData } : {}),
});

export const challengeBody = (keys: ZkpKeys) => ({ username: keys.username, cipherKey: keys.cipherKey });

export const authenticateBody = (keys: ZkpKeys, challenge: { challenge_id: string; challenge_data: string }) => ({
  username: keys.username, cipherKey: keys.cipherKey,
  challenge_id: challenge.challenge_id, challenge_data: proveKnowledge(keys, challenge),
});
