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
  // Every committed change tells each process's key cache (api-key-lookup.queries.ts) to drop the
  // organization's keys: a revoked key stops everywhere, a new one works everywhere.
  triggers: [{
    name: 'api_key_notify', timing: 'after', events: ['insert', 'update', 'delete'],
    body: `perform pg_notify('idgraph_invalidate', 'api_key:' || coalesce(new.organization_id, old.organization_id)); return null`,
  }],
});

export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
