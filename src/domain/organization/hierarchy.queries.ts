// Data access for the organization hierarchy and its pools. Rules live in hierarchy.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from './organization.entity.ts';
import { Person } from '../person/person.entity.ts';
import { Group } from '../access/group.entity.ts';

export type PoolColumn = 'persons_pool_id' | 'groups_pool_id';

/** The organizations of the pool `ownerId` owns (the owner and those using it), oldest first. */
export async function poolMemberIds(em: EntityManager, column: PoolColumn, ownerId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from organization where id = ? or ${column} = ? order by created_at, id`, [ownerId, ownerId]);
  return rows.map((r) => r.id);
}

/** How many direct suborganizations the organization has. */
export async function countChildrenOf(em: EntityManager, parentId: string): Promise<number> {
  return em.count(Organization, { parent: parentId });
}

/** How many organizations outside `ids` use a pool owned by one of `ids`. */
export function poolUsersOutside(em: EntityManager, ids: readonly string[]): Promise<number> {
  return em.count(Organization, {
    id: { $nin: [...ids] }, $or: [{ personsPool: { $in: [...ids] } }, { groupsPool: { $in: [...ids] } }],
  });
}

/** Deletes the organization; its suborganizations and every row of theirs go with it (cascades). */
export async function deleteOrganizationRow(em: EntityManager, id: string): Promise<number> {
  return em.nativeDelete(Organization, { id });
}

/** Persons stored in any of the organizations. */
export async function countPersonsIn(em: EntityManager, organizationIds: readonly string[]): Promise<number> {
  return em.count(Person, { organization: { $in: [...organizationIds] } });
}

/** Groups of any of the organizations. */
export async function countGroupsIn(em: EntityManager, organizationIds: readonly string[]): Promise<number> {
  return em.count(Group, { organization: { $in: [...organizationIds] } });
}
