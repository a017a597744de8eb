import { defineEntity, p } from '@mikro-orm/core';
import type { AccessPoint } from '../session/session.entity.ts';
import { personRow, timestamps } from '../entity-properties.ts';

/**
 * A person's own API key (the Secrets Vault's per-user keys), distinct from an organization's
 * ApiKey: it acts as its person, limited to its scopes. Only the SHA-256 is stored; the key is
 * shown once, at creation or regeneration.
 */
export const UserApiKeySchema = defineEntity({
  name: 'UserApiKey',
  properties: {
    ...personRow(),
    keyHash: p.string().length(64).unique(),
    name: p.string().length(128),
    scopes: p.json<string[]>(),
    isActive: p.boolean().default(true),
    created: p.json<AccessPoint>(),
    lastUse: p.json<AccessPoint>().nullable(),
    lastUsedAt: p.datetime().nullable(),
    ...timestamps(),
  },
  indexes: [{ properties: ['organization', 'createdAt'] }, { properties: ['person'] }],
});

export class UserApiKey extends UserApiKeySchema.class {}
UserApiKeySchema.setClass(UserApiKey);
