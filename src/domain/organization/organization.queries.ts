// Data access for organizations and their keys. Rules live in organization.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from './organization.entity.ts';
import { ApiKey } from './api-key.entity.ts';

/** Ids of the organization and all its descendants, in one recursive query. */
export async function subtreeIds(em: EntityManager, rootId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `with recursive tree(id) as (
       select id from organization where id = ?
       union all
       select o.id from organization o join tree t on o.parent_id = t.id
     ) select id from tree`,
    [rootId],
  );
  return rows.map((r) => r.id);
}

/** True when `ancestorId` is `orgId` itself or one of its ancestors. */
export async function isSameOrAncestor(em: EntityManager, ancestorId: string, orgId: string): Promise<boolean> {
  const rows = await em.execute<{ found: boolean }[]>(
    `with recursive chain(id, parent_id) as (
       select id, parent_id from organization where id = ?
       union all
       select o.id, o.parent_id from organization o join chain c on o.id = c.parent_id
     ) select exists(select 1 from chain where id = ?) as found`,
    [orgId, ancestorId],
  );
  return rows[0]?.found === true;
}

export function findByTenantId(em: EntityManager, tenantId: string): Promise<Organization | null> {
  return em.findOne(Organization, { tenantId });
}

/** The root organization of `orgId`'s hierarchy (itself when it has no parent), in one query. */
export async function rootOf(em: EntityManager, orgId: string): Promise<{ id: string; name: string } | undefined> {
  const rows = await em.execute<{ id: string; name: string }[]>(
    `with recursive chain(id, name, parent_id) as (
       select id, name, parent_id from organization where id = ?
       union all
       select o.id, o.name, o.parent_id from organization o join chain c on o.id = c.parent_id
     ) select id, name from chain where parent_id is null`,
    [orgId],
  );
  return rows[0];
}

export function findOrganization(em: EntityManager, id: string): Promise<Organization | null> {
  return em.findOne(Organization, { id });
}

/** The organizations among `ids` (for the DataLoader), in no particular order. */
export function findOrganizationsByIds(em: EntityManager, ids: readonly string[]): Promise<Organization[]> {
  return em.find(Organization, { id: { $in: [...ids] } });
}

/** The organizations among `ids`, oldest first. */
export function findOrganizationsOldestFirst(em: EntityManager, ids: readonly string[]): Promise<Organization[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return em.find(Organization, { id: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export function countAllOrganizations(em: EntityManager): Promise<number> {
  return em.count(Organization, {});
}

/** The direct children of an organization, oldest first. */
export function findChildrenOf(em: EntityManager, parentId: string): Promise<Organization[]> {
  return em.find(Organization, { parent: parentId }, { orderBy: { createdAt: 'asc' } });
}

/** The id of the root of the organization's hierarchy (the organization itself when it has no parent). */
export async function rootOrganizationId(em: EntityManager, orgId: string): Promise<string | undefined> {
  const [row] = await em.execute<{ id: string }[]>(
    `with recursive chain(id, parent_id) as (
       select id, parent_id from organization where id = ?
       union all
       select o.id, o.parent_id from organization o join chain c on o.id = c.parent_id
     ) select id from chain where parent_id is null`,
    [orgId],
  );
  return row?.id;
}
