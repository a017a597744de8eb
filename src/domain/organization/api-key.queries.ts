// Data access for organization API keys beyond authentication (organization.queries.ts has the
// lookups), and the organization row lock that key changes, hierarchy changes and limits queue on.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from './api-key.entity.ts';

/** Holds the organization's row until the transaction ends: key changes of one organization queue. */
export async function lockOrganizationRow(em: EntityManager, organizationId: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>('select id from organization where id = ? for update', [organizationId]);
  return rows.length === 1;
}

export async function isActiveKey(em: EntityManager, keyId: string): Promise<boolean> {
  return (await em.count(ApiKey, { id: keyId, revokedAt: null })) === 1;
}

/** Revokes every active key of the organization; how many were. */
export function revokeActiveKeysOf(em: EntityManager, organizationId: string, at: Date): Promise<number> {
  return em.nativeUpdate(ApiKey, { organization: organizationId, revokedAt: null }, { revokedAt: at });
}
