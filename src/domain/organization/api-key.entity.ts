import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, organizationRow } from '../entity-properties.ts';

/** An organization's API key. Only the SHA-256 of the key is stored; the key is shown once. */
export const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  properties: {
    ...organizationRow(),
    keyHash: p.string().length(64).unique(),
    createdAt: createdAt(),
    revokedAt: p.datetime().nullable(),
  },
});

export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
