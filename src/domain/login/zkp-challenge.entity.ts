import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';

/**
 * A single-use login challenge (docs/zkp.md). Issued for any username, known or not, so that
 * issuing one reveals nothing; consumed by the first authenticate that names it.
 */
const ZkpChallengeSchema = defineEntity({
  name: 'ZkpChallenge',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
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
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['expiresAt'] }],
});

export class ZkpChallenge extends ZkpChallengeSchema.class {}
ZkpChallengeSchema.setClass(ZkpChallenge);
export { ZkpChallengeSchema };
