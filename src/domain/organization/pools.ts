// Pools: an organization may use another's persons (SlashID `persons_org_id`), groups
// (`groups_org_id`) or roles and permissions (`inherit_rbac_pools`). The rows of a pool are stored
// with its owner, so reads and writes of a pool member go to the owner. One rule for the three.
import type { Organization } from './organization.entity.ts';

export type PoolName = 'personsPool' | 'groupsPool' | 'rbacPool';

const COLUMN_OF: Record<PoolName, string> = { personsPool: 'persons_pool_id', groupsPool: 'groups_pool_id', rbacPool: 'rbac_pool_id' };

/** The owner of the organization's pool: itself unless it uses another's. */
export const poolOwnerOf = <P extends PoolName>(org: Pick<Organization, 'id' | P>, pool: P): string =>
  (org[pool] as { id: string } | null | undefined)?.id ?? org.id;

/** SQL: the owner of the pool of the organization given as bound parameter. */
export const poolOwnerSql = (pool: PoolName) => `(select coalesce(o.${COLUMN_OF[pool]}, o.id) from organization o where o.id = ?)`;
