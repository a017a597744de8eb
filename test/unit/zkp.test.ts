import { deriveZkpKeys, encryptCommitment, proveKnowledge } from '../../src/zkp/client.ts';
import { b64urlDecode, b64urlEncode, verifyProof, Point } from '../../src/zkp/protocol.ts';
import { openCommitment } from '../../src/crypto/zkp-envelope.ts';

const who = { tenantId: 't1', username: 'Ada' };
const ctx = { tenantId: 't1', username: 'ada', challengeId: 'c1', nonce: 'n1' };

describe('zkp protocol v1', () => {
  test('a proof verifies only for its commitment, tenant, username, challenge and nonce', async () => {
    const keys = await deriveZkpKeys('secret', who);
    const proof = b64urlDecode(proveKnowledge(keys, { challenge_id: 'c1', challenge_data: 'n1' }))!;
    expect(verifyProof(keys.commitment, proof, ctx)).toBe(true);
    expect(verifyProof(keys.commitment, proof, { ...ctx, username: 'ADA' })).toBe(true); // usernames compare case-insensitively
    for (const change of [{ tenantId: 't2' }, { username: 'bob' }, { challengeId: 'c2' }, { nonce: 'n2' }]) {
      expect(verifyProof(keys.commitment, proof, { ...ctx, ...change })).toBe(false);
    }
    const otherKeys = await deriveZkpKeys('other', who);
    expect(verifyProof(otherKeys.commitment, proof, ctx)).toBe(false);
    const tampered = proof.slice();
    tampered[40] ^= 1;
    expect(verifyProof(keys.commitment, tampered, ctx)).toBe(false);
    expect(verifyProof(keys.commitment, new Uint8Array(64), ctx)).toBe(false);
    expect(verifyProof(Point.ZERO.toBytes(), proof, ctx)).toBe(false);
    expect(verifyProof(keys.commitment, proof.subarray(0, 63), ctx)).toBe(false);
  });

  test('keys are deterministic per secret, tenant and username', async () => {
    const a = await deriveZkpKeys('secret', who);
    const b = await deriveZkpKeys('secret', { ...who, username: 'ADA' });
    const c = await deriveZkpKeys('secret', { ...who, tenantId: 't2' });
    expect(b64urlEncode(a.commitment)).toBe(b64urlEncode(b.commitment));
    expect(a.cipherKey).toBe(b.cipherKey);
    expect(b64urlEncode(a.commitment)).not.toBe(b64urlEncode(c.commitment));
  });

  test('the encrypted commitment opens with its cipherKey only', async () => {
    const keys = await deriveZkpKeys('secret', who);
    const sealed = await encryptCommitment(keys);
    expect(b64urlDecode(sealed)).toHaveLength(61);
    expect(openCommitment(sealed, keys.cipherKey)).toEqual(keys.commitment);
    const other = await deriveZkpKeys('other', who);
    expect(openCommitment(sealed, other.cipherKey)).toBeNull();
    expect(openCommitment(sealed, 'short')).toBeNull();
    expect(openCommitment('AQID', keys.cipherKey)).toBeNull();
  });

  test('base64url is strict', () => {
    expect(b64urlDecode('ab+c')).toBeNull();
    expect(b64urlDecode('abc=')).toBeNull();
    expect(b64urlDecode('a')).toBeNull();
    expect(b64urlEncode(b64urlDecode('AQID')!)).toBe('AQID');
  });
});
