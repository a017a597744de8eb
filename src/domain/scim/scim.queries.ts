// Data access of the SCIM face: pages of users and groups, membership changes as set-based
// statements (a group of 10,000 members is never loaded to add or remove one), token revocation.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlFragment } from '../person/scim-filter.ts';
import { OAuthToken } from '../oauth/oauth-token.entity.ts';
import { PERSONS_POOL_OWNER } from '../person/person.queries.ts';

/** `array[?, ?, …]::uuid[]`: one bound parameter per id (the driver binds no JS arrays here). */
const uuidArray = (ids: readonly string[]) => `array[${ids.map(() => '?').join(',')}]::uuid[]`;

export interface IdPage { ids: string[]; total: number }

/** One page of the organization's regular persons (a person pool's owner: pass its id) matching `where`, with the total. */
export async function findUserIdPage(
  em: EntityManager, organizationId: string, where: SqlFragment | undefined, order: string, offset: number, limit: number,
): Promise<IdPage> {
  const filter = where ? ` and (${where.sql})` : '';
  const params = [organizationId, ...(where?.params ?? [])];
  const from = `from person p where p.organization_id = ? and p.person_type = 'regular'${filter}`;
  if (limit === 0) {
    const [row] = await em.execute<{ total: string }[]>(`select count(*) as total ${from}`, params);
    return { ids: [], total: Number(row.total) };
  }
  const rows = await em.execute<{ id: string; total: string }[]>(
    `select p.id, count(*) over () as total ${from} order by ${order}, p.id limit ? offset ?`, [...params, limit, offset]);
  if (rows.length === 0 && offset > 0) {
    const [row] = await em.execute<{ total: string }[]>(`select count(*) as total ${from}`, params);
    return { ids: [], total: Number(row.total) };
  }
  return { ids: rows.map((r) => r.id), total: rows.length ? Number(rows[0].total) : 0 };
}

/** `name` is the group's (SlashID) name; `displayName` its SCIM displayName (the name unless it has its own). */
export interface GroupRow {
  id: string; name: string; displayName: string; externalId: string | null; createdAt: Date; updatedAt: Date | null;
}

const GROUP_COLUMNS = `g.id, g.name, coalesce(g.display_name, g.name) as "displayName", g.external_id as "externalId",
  g.created_at as "createdAt", g.updated_at as "updatedAt"`;

/** A page of the organization's groups matching `where` (all without), in `order` (by displayName unless given). */
export async function findGroupPage(
  em: EntityManager, organizationId: string, where: SqlFragment | undefined, offset: number, limit: number, order = 'g.name',
): Promise<{ rows: GroupRow[]; total: number }> {
  const filter = where ? ` and (${where.sql})` : '';
  const params = [organizationId, ...(where?.params ?? [])];
  const [count] = await em.execute<{ total: string }[]>(`select count(*) as total from access_group g where g.organization_id = ?${filter}`, params);
  const rows = limit === 0 ? [] : await em.execute<GroupRow[]>(
    `select ${GROUP_COLUMNS} from access_group g where g.organization_id = ?${filter} order by ${order}, g.id limit ? offset ?`,
    [...params, limit, offset]);
  return { rows, total: Number(count.total) };
}

export async function findGroupRow(em: EntityManager, organizationId: string, id: string): Promise<GroupRow | undefined> {
  const [row] = await em.execute<GroupRow[]>(`select ${GROUP_COLUMNS} from access_group g where g.organization_id = ? and g.id = ?`,
    [organizationId, id]);
  return row;
}

export interface MemberRow { id: string; display: string | null }

/** Members with their username (the SCIM `display`), in the order they joined. */
/** A group's members that are persons of the person pool of `organizationId` (a shared group holds others). */
export function findGroupMembers(em: EntityManager, groupId: string, limit: number, organizationId: string): Promise<MemberRow[]> {
  return em.execute<MemberRow[]>(
    `select gm.person_id as id, (select h.value from handle h where h.person_id = gm.person_id and h.type = 'username' limit 1) as display
     from group_member gm join person p on p.id = gm.person_id
     where gm.group_id = ? and p.organization_id = ${PERSONS_POOL_OWNER}
     order by gm.created_at, gm.person_id limit ?`, [groupId, organizationId, limit]);
}

/** Of `ids`, those naming a person of the organization's person pool. */
export async function personIdsIn(em: EntityManager, organizationId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await em.execute<{ id: string }[]>(
    `select id from person where organization_id = ${PERSONS_POOL_OWNER}
     and id = any(${uuidArray(ids)})`, [organizationId, ...ids]);
  return rows.map((r) => r.id);
}

/** Adds members in one statement; those already in stay as they are. Answers how many joined. */
export async function insertMembers(em: EntityManager, groupId: string, personIds: readonly string[]): Promise<number> {
  if (personIds.length === 0) return 0;
  const rows = await em.execute<{ person_id: string }[]>(
    `insert into group_member (group_id, person_id, created_at) select ?, unnest(${uuidArray(personIds)}), now()
     on conflict do nothing returning person_id`, [groupId, ...personIds]);
  return rows.length;
}

/** The caller's person pool: a group shared by organizations with other person pools keeps their members. */
const IN_PERSON_POOL = `person_id in (select p.id from person p
  where p.organization_id = ${PERSONS_POOL_OWNER})`;

/** Removes the memberships of `personIds` that the organization can see (its person pool). */
export async function deleteMembers(em: EntityManager, groupId: string, personIds: readonly string[], organizationId: string): Promise<number> {
  if (personIds.length === 0) return 0;
  const rows = await em.execute<{ person_id: string }[]>(
    `delete from group_member where group_id = ? and person_id = any(${uuidArray(personIds)}) and ${IN_PERSON_POOL} returning person_id`,
    [groupId, ...personIds, organizationId]);
  return rows.length;
}

/** Removes every membership the organization can see (its person pool). */
export const deleteAllMembers = (em: EntityManager, groupId: string, organizationId: string) =>
  em.execute(`delete from group_member where group_id = ? and ${IN_PERSON_POOL}`, [groupId, organizationId]);

export const touchGroup = (em: EntityManager, groupId: string) =>
  em.execute(`update access_group set updated_at = clock_timestamp() where id = ?`, [groupId]);

/** Sets the name and the SCIM displayName (null: the name is the displayName). */
export const renameGroup = (em: EntityManager, groupId: string, name: string, displayName: string | null) =>
  em.execute(`update access_group set name = ?, display_name = ?, updated_at = clock_timestamp() where id = ?`, [name, displayName, groupId]);

export const setGroupExternalId = (em: EntityManager, groupId: string, externalId: string | null) =>
  em.execute(`update access_group set external_id = ?, updated_at = clock_timestamp() where id = ?`, [externalId, groupId]);

/** The group of the organization whose SCIM displayName is `displayName` (case-sensitive), if any. */
export async function findGroupIdByDisplayName(em: EntityManager, organizationId: string, displayName: string): Promise<string | undefined> {
  const [row] = await em.execute<{ id: string }[]>(
    `select id from access_group where organization_id = ? and coalesce(display_name, name) = ? limit 1`, [organizationId, displayName]);
  return row?.id;
}

/** Names of the organization's groups that are `stem` or start with `stem-` (to derive a free one). */
export async function groupNamesFrom(em: EntityManager, organizationId: string, stem: string): Promise<Set<string>> {
  const like = `${stem.replace(/[\\%_]/g, (ch) => '\\' + ch)}-%`;
  const rows = await em.execute<{ name: string }[]>(
    `select name from access_group where organization_id = ? and (name = ? or name like ? escape '\\')`, [organizationId, stem, like]);
  return new Set(rows.map((r) => r.name));
}

/** Revokes every live token of the person (with or without a session): deactivation ends its access. */
export const revokePersonTokens = (em: EntityManager, personId: string) =>
  em.nativeUpdate(OAuthToken, { person: personId, revokedAt: null }, { revokedAt: new Date() });
