import { defineEntity, p } from '@mikro-orm/core';
import { organizationRow, singleUse } from '../entity-properties.ts';

/**
 * A single-use login challenge (docs/zkp.md). Issued for any username, known or not, so that
 * issuing one reveals nothing; consumed by the first authenticate that names it.
 */
export const ZkpChallengeSchema = defineEntity({
  name: 'ZkpChallenge',
  properties: {
    ...organizationRow(),
    /** The normalized username the challenge was issued for. */
    username: p.string().length(128),
    /** 32 random bytes, base64url; not secret (it is sent to the client). */
    nonce: p.string().length(64),
    authReqId: p.string().length(128).nullable(),
    /**
     * The user's public commitment Y (base64url), when the cipherKey sent with the challenge
     * opened it: lets a later proof be checked without the cipherKey (PUT …/email). Public data,
     * no weaker at rest than the envelope it came from.
     */
    commitment: p.string().length(64).nullable(),
    ...singleUse(),
  },
  indexes: [{ properties: ['expiresAt'] }],
});

export class ZkpChallenge extends ZkpChallengeSchema.class {}
ZkpChallengeSchema.setClass(ZkpChallenge);
