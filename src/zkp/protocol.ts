// The zero-knowledge secret login, protocol version 1 (docs/zkp.md): a Schnorr proof of knowledge
// of the discrete logarithm of a ristretto255 point, made non-interactive with Fiat–Shamir over a
// transcript that binds the tenant, the username, the challenge id and its nonce. Shared by the
// server (verification) and the client module (src/zkp/client.ts); it runs in browsers too, so it
// uses nothing from Node.
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';

export const PROTO_VERSION = 1;
export const Point = ristretto255.Point;
const Fn = Point.Fn;

export const DST = {
  secret: 'idgraph-zkp-v1:secret-scalar',
  nonce: 'idgraph-zkp-v1:proof-nonce',
  challenge: 'idgraph-zkp-v1:fiat-shamir',
} as const;
export const TRANSCRIPT_LABEL = 'idgraph-zkp-v1:transcript';
export const COMMITMENT_AAD = 'idgraph-zkp-v1:commitment';
/** PBKDF2-HMAC-SHA256 over the secret material, salted with tenant and username. */
export const KDF_ITERATIONS = 100_000;
/** First byte of an encrypted commitment: 1 = AES-256-GCM, 12-byte IV, 16-byte tag. */
export const ENVELOPE_VERSION = 1;
export const ENVELOPE_BYTES = 1 + 12 + 32 + 16;
export const POINT_BYTES = 32;
export const PROOF_BYTES = 64;

const text = new TextEncoder();

export function b64urlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url (no padding, no other characters); null when malformed. */
export function b64urlDecode(value: string): Uint8Array | null {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) return null;
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (value.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * How usernames are compared (the same as username handles). Usernames are ASCII letters, digits
 * and `_ . @ -` on every face, so lower case is all the normalization they need (NFC would change
 * no valid username). The salt and transcript bind these bytes: changing this function changes
 * proto_version 1 for every client, so non-ASCII usernames would need a new version (docs/zkp.md).
 */
export const normalizeUsername = (username: string) => username.toLowerCase();

export function kdfSalt(tenantId: string, username: string): Uint8Array {
  return lengthPrefixed([text.encode('idgraph-zkp-v1:kdf'), text.encode(tenantId), text.encode(normalizeUsername(username))]);
}

/** Each part as a 4-byte big-endian length followed by its bytes: no two transcripts collide. */
export function lengthPrefixed(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const part of parts) {
    view.setUint32(at, part.length);
    out.set(part, at + 4);
    at += 4 + part.length;
  }
  return out;
}

export interface ProofContext {
  tenantId: string;
  username: string;
  challengeId: string;
  /** The challenge's nonce as sent by the server (base64url text). */
  nonce: string;
}

/** c = H(label ‖ tenant ‖ username ‖ challenge id ‖ nonce ‖ Y ‖ R), a scalar mod ℓ. */
export function challengeScalar(ctx: ProofContext, commitment: Uint8Array, r: Uint8Array): bigint {
  const transcript = lengthPrefixed([
    text.encode(TRANSCRIPT_LABEL), text.encode(ctx.tenantId), text.encode(normalizeUsername(ctx.username)),
    text.encode(ctx.challengeId), text.encode(ctx.nonce), commitment, r,
  ]);
  return ristretto255_hasher.hashToScalar(transcript, { DST: DST.challenge });
}

/** The secret scalar x from 32 bytes of key material. */
export function secretScalar(material: Uint8Array): bigint {
  const x = ristretto255_hasher.hashToScalar(material, { DST: DST.secret });
  if (x === 0n) throw new Error('degenerate secret');
  return x;
}

export const commitmentOf = (x: bigint): Uint8Array => Point.BASE.multiply(x).toBytes();

/** A proof (R ‖ s) that the prover knows x with Y = x·G, bound to `ctx`. */
export function createProof(x: bigint, commitment: Uint8Array, ctx: ProofContext, random: Uint8Array): Uint8Array {
  const k = ristretto255_hasher.hashToScalar(random, { DST: DST.nonce });
  const r = Point.BASE.multiply(k === 0n ? 1n : k).toBytes();
  const c = challengeScalar(ctx, commitment, r);
  const s = Fn.add(k === 0n ? 1n : k, Fn.mul(c, x));
  const out = new Uint8Array(PROOF_BYTES);
  out.set(r, 0);
  out.set(Fn.toBytes(s), 32);
  return out;
}

/** Checks s·G = R + c·Y. Never throws: malformed points or scalars are simply false. */
export function verifyProof(commitment: Uint8Array, proof: Uint8Array, ctx: ProofContext): boolean {
  try {
    if (commitment.length !== POINT_BYTES || proof.length !== PROOF_BYTES) return false;
    const y = Point.fromBytes(commitment);
    if (y.is0()) return false;
    const rBytes = proof.subarray(0, 32);
    const r = Point.fromBytes(rBytes);
    const s = Fn.fromBytes(proof.subarray(32, 64));
    const c = challengeScalar(ctx, commitment, rBytes);
    return Point.BASE.multiplyUnsafe(s).equals(r.add(y.multiplyUnsafe(c)));
  } catch {
    return false;
  }
}
