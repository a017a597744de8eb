// The organization API key lookups of every authenticated request, as plain rows in statements
// shared by the requests of one turn of the event loop (src/db/shared-statement.ts). An
// organization's keys are also kept a moment in each process (ApiKeyCache), invalidated through
// the database by the `api_key_notify` trigger (api-key.entity.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { SharedStatement } from '../../db/shared-statement.ts';
import { InvalidatedRowCache } from '../../db/invalidated-row-cache.ts';

export interface ActiveKey { id: string; organizationId: string; keyHash: string }

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const keysOfOrganizations = new SharedStatement<string, ActiveKey[]>(async (em, organizationIds) => {
  const distinct = [...new Set(organizationIds)];
  const rows = await em.execute<ActiveKey[]>(
    `select id, organization_id as "organizationId", key_hash as "keyHash" from api_key
     where revoked_at is null and organization_id in (${placeholders(distinct.length)})`, distinct);
  return organizationIds.map((org) => rows.filter((row) => row.organizationId === org));
}, 1000);

const keysByHash = new SharedStatement<string, ActiveKey | null>(async (em, hashes) => {
  const distinct = [...new Set(hashes)];
  const rows = await em.execute<ActiveKey[]>(
    `select id, organization_id as "organizationId", key_hash as "keyHash" from api_key
     where revoked_at is null and key_hash in (${placeholders(distinct.length)})`, distinct);
  return hashes.map((hash) => rows.find((row) => row.keyHash === hash) ?? null);
}, 1000);

/** The active API keys of an organization (id must be UUID-shaped). */
export const findActiveKeysOf = (em: EntityManager, organizationId: string) => keysOfOrganizations.submit(em, organizationId);

/** The active API key with this SHA-256 digest. */
export const findActiveKeyByHash = (em: EntityManager, keyHash: string) => keysByHash.submit(em, keyHash);

/**
 * The active keys of each organization as the SlashID face checks them: a burst of requests of
 * one organization costs one query. A key rotated or revoked through the services stops in every
 * process before the change is answered (`change`); by plain SQL, when each process hears of it.
 */
export class ApiKeyCache extends InvalidatedRowCache<ActiveKey[]> {
  constructor(ttlMs = 2000) {
    super('api_key', findActiveKeysOf, ttlMs);
  }
}
