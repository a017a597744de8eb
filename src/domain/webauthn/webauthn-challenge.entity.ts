import { defineEntity, p } from '@mikro-orm/core';
import { Person } from '../person/person.entity.ts';
import { organizationRow, singleUse } from '../entity-properties.ts';

/**
 * A passkey ceremony's challenge: single use, expiring, consumed by one UPDATE (the first verify
 * that names it wins; a replay finds it used). `person` is the person registering, or the person a
 * username-first sign-in named (null for a usernameless sign-in, or a username that is nobody's).
 */
export const WebauthnChallengeSchema = defineEntity({
  name: 'WebauthnChallenge',
  properties: {
    ...organizationRow(),
    /** register | authenticate */
    purpose: p.enum(['register', 'authenticate']),
    /** 32 random bytes, base64url: what the authenticator signs (clientDataJSON.challenge). */
    challenge: p.string().length(64).unique(),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade').nullable(),
    authReqId: p.string().length(128).nullable(),
    ...singleUse(),
  },
  indexes: [{ properties: ['expiresAt'] }],
});

export class WebauthnChallenge extends WebauthnChallengeSchema.class {}
WebauthnChallengeSchema.setClass(WebauthnChallenge);
