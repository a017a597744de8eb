// Data access for groups, roles and permissions. Rules live in group.service.ts and rbac.service.ts.
// The *OfMany functions serve the DataLoaders: one statement whatever the number of keys.
import type { EntityClass, EntityManager, FilterQuery, OrderDefinition } from '@mikro-orm/postgresql';
import { Group, GroupMember, type GroupView } from './group.entity.ts';
import { Permission, PersonPermission, PersonRole, Role, RolePermission, type PermissionView, type RoleView } from './rbac.entity.ts';
import { GROUPS_POOL_OWNER } from './group-pool.ts';
import { asKeys, linkedRowsRead, runRead, type Keys, type ListRead } from '../list-reads.queries.ts';
import { asDate } from '../../db/rows.ts';
import { RBAC_POOL_OWNER } from './rbac-pool.ts';
import { PERSONS_POOL_OWNER } from '../person/person.queries.ts';

const placeholders = (ids: readonly unknown[]) => ids.map(() => '?').join(',');

/** The reads every named row of an organization (group, permission, role) answers alike. */
function namedRowQueries<T extends Group | Permission | Role>(entity: EntityClass<T>) {
  const of = (organizationId: string, name?: unknown) =>
    ({ organization: organizationId, ...(name === undefined ? {} : { name }) }) as FilterQuery<T>;
  return {
    find: (em: EntityManager, organizationId: string, name: string) => em.findOne(entity, of(organizationId, name)),
    list: (em: EntityManager, organizationId: string) =>
      em.find(entity, of(organizationId), { orderBy: { name: 'asc' } as OrderDefinition<T> }),
    findByName: (em: EntityManager, organizationId: string, names: readonly string[]) =>
      em.find(entity, of(organizationId, { $in: [...names] })),
  };
}

export const { find: findGroup, list: listGroups, findByName: findGroupsByName } = namedRowQueries(Group);
export const { find: findPermission, list: listPermissions, findByName: findPermissionsByName } = namedRowQueries(Permission);
export const { find: findRole, list: listRoles, findByName: findRolesByName } = namedRowQueries(Role);

interface NamedRow {
  key: string; id: string; organization_id: string; name: string; description: string | null; created_at: Date | string;
  updated_at?: Date | string | null; display_name?: string | null; external_id?: string | null;
}

const namedViewOf = (row: NamedRow): PermissionView => ({
  id: row.id, organization: { id: row.organization_id }, name: row.name, description: row.description, createdAt: asDate(row.created_at)!,
});
const groupViewOf = (row: NamedRow): GroupView => ({
  ...namedViewOf(row), updatedAt: asDate(row.updated_at), displayName: row.display_name ?? null, externalId: row.external_id ?? null,
});

/** A read of no keys: no statement. */
const runUnlessEmpty = async <T>(em: EntityManager, keys: readonly unknown[], read: ListRead<T>) =>
  keys.length === 0 ? [] : runRead(em, read);

/** A join table: `key` is the column the loader asks by, `target` the id of the row it links to. */
interface Link { table: string; key: string; target: string }

const ROLES_OF_PERSON: Link = { table: 'person_role', key: 'person_id', target: 'role_id' };
const PERMISSIONS_OF_ROLE: Link = { table: 'role_permission', key: 'role_id', target: 'permission_id' };
const PERMISSIONS_OF_PERSON: Link = { table: 'person_permission', key: 'person_id', target: 'permission_id' };

/**
 * The groups of each person, of the group pool of `organizationId` only (a pooled person may be a
 * member of groups of organizations that do not share their group pool).
 */
export const groupsOfPersonsRead = (
  personIds: readonly string[] | Keys, organizationId: string,
): ListRead<{ personId: string; group: GroupView }> => linkedRowsRead(
  `select l.person_id as "key", t.* from group_member l join access_group t on t.id = l.group_id
    where l.person_id ${asKeys(personIds).match} and t.organization_id = ${GROUPS_POOL_OWNER} order by t.name`,
  [...asKeys(personIds).params, organizationId], groupViewOf, (personId, group) => ({ personId, group }));
export const groupsOfPersons = (em: EntityManager, personIds: readonly string[], organizationId: string) =>
  runUnlessEmpty(em, personIds, groupsOfPersonsRead(personIds, organizationId));

/**
 * For each person, the rows of `table` (role, permission) linked through `link` that belong to the
 * RBAC pool of `organizationId`: a person shared by organizations of separate RBAC pools holds
 * each pool's apart. `orPersonsOwn`: also those of the RBAC pool of the organization the person is
 * stored in (the GraphQL loaders know the caller, not the managed organization a vault tenant
 * route names).
 */
const linkedInRbacPoolSql = (table: string, link: Link, personIds: Keys, orPersonsOwn: boolean) =>
  `select l.${link.key} as "key", t.* from ${link.table} l
    join ${table} t on t.id = l.${link.target} where l.${link.key} ${personIds.match}
    and (t.organization_id = ${RBAC_POOL_OWNER} ${orPersonsOwn ? `or t.organization_id = (select coalesce(o.rbac_pool_id, o.id)
      from person p join organization o on o.id = p.organization_id where p.id = l.${link.key})` : ''}) order by t.name`;

/** What each person holds in the RBAC pool, by the table (and field) that holds it. */
interface RbacViews { role: RoleView; permission: PermissionView }

/** The read of linkedInRbacPoolSql, and running it: for each person, `{ personId, [table]: view }`. */
function linkedInRbacPool<T extends keyof RbacViews>(table: T, link: Link) {
  type Row = { personId: string } & Record<T, RbacViews[T]>;
  const read = (personIds: readonly string[] | Keys, organizationId: string, orPersonsOwn = false): ListRead<Row> => linkedRowsRead(
    linkedInRbacPoolSql(table, link, asKeys(personIds), orPersonsOwn), [...asKeys(personIds).params, organizationId],
    namedViewOf, (personId, view) => ({ personId, [table]: view }) as Row);
  const run = (em: EntityManager, personIds: readonly string[], organizationId: string, orPersonsOwn = false) =>
    runUnlessEmpty(em, personIds, read(personIds, organizationId, orPersonsOwn));
  return { read, run };
}

/** The roles of each person, of the RBAC pool of `organizationId` (see linkedInRbacPoolSql). */
export const { read: rolesOfPersonsRead, run: rolesOfPersons } = linkedInRbacPool('role', ROLES_OF_PERSON);

/** For each of the roles `roleIdsSql` selects (bound by `params`), its permissions by name. */
const permissionsOfRolesIn = (roleIdsSql: string, params: readonly unknown[]): ListRead<{ roleId: string; permission: PermissionView }> =>
  linkedRowsRead(`select l.${PERMISSIONS_OF_ROLE.key} as "key", t.* from ${PERMISSIONS_OF_ROLE.table} l
    join permission t on t.id = l.${PERMISSIONS_OF_ROLE.target} where l.${PERMISSIONS_OF_ROLE.key} in (${roleIdsSql}) order by t.name`,
  params, namedViewOf, (roleId, permission) => ({ roleId, permission }));
export const permissionsOfRoles = (em: EntityManager, roleIds: readonly string[]) =>
  runUnlessEmpty(em, roleIds, permissionsOfRolesIn(placeholders(roleIds), roleIds));
/** The permissions of the roles of each person (as rolesOfPersonsRead reads them), by role: the two reads need not wait for each other. */
export const permissionsOfRolesOfPersonsRead = (personIds: readonly string[] | Keys, organizationId: string, orPersonsOwn = false) => {
  const roles = rolesOfPersonsRead(personIds, organizationId, orPersonsOwn);
  return permissionsOfRolesIn(`select r.id from (${roles.sql}) r`, roles.params);
};

/** The permissions given to each person directly, of the RBAC pool of `organizationId` (see linkedInRbacPoolSql). */
export const { read: additionalPermissionsOfPersonsRead, run: additionalPermissionsOfPersons } =
  linkedInRbacPool('permission', PERMISSIONS_OF_PERSON);

/**
 * Member ids of many groups, oldest membership first: only persons of the person pool of
 * `organizationId` (a shared group pool holds members of other person pools, which it must not see).
 */
export async function memberIdsOfGroups(em: EntityManager, groupIds: readonly string[], organizationId: string) {
  return em.execute<{ group_id: string; person_id: string }[]>(
    `select gm.group_id, gm.person_id from group_member gm join person p on p.id = gm.person_id
     where gm.group_id in (${placeholders(groupIds)}) and p.organization_id = ${PERSONS_POOL_OWNER}
     order by gm.created_at, gm.person_id`, [...groupIds, organizationId]);
}

/** Holder ids of many roles: only persons of the person pool of `organizationId` (a role of an RBAC pool is held across it). */
export async function holderIdsOfRoles(em: EntityManager, roleIds: readonly string[], organizationId: string) {
  return em.execute<{ role_id: string; person_id: string }[]>(
    `select pr.role_id, pr.person_id from person_role pr join person p on p.id = pr.person_id
     where pr.role_id in (${placeholders(roleIds)}) and p.organization_id = ${PERSONS_POOL_OWNER} order by pr.person_id`,
    [...roleIds, organizationId]);
}

/** Whether the person holds the permission directly or through a role: one statement. */
export async function personHasPermission(em: EntityManager, personId: string, permissionId: string) {
  const [row] = await em.execute<{ granted: boolean }[]>(
    `select exists (select 1 from person_permission where person_id = ? and permission_id = ?)
         or exists (select 1 from person_role pr join role_permission rp on rp.role_id = pr.role_id
                    where pr.person_id = ? and rp.permission_id = ?) as granted`,
    [personId, permissionId, personId, permissionId]);
  return row.granted;
}

export async function countRolesHolding(em: EntityManager, permissionId: string) {
  return em.count(RolePermission, { permission: permissionId });
}

/** Ids of the groups of one organization (a group pool's owner) a person is a member of. */
export async function groupIdsOfPerson(em: EntityManager, personId: string, groupsOwnerId: string): Promise<string[]> {
  return (await em.find(GroupMember, { person: personId, group: { organization: groupsOwnerId } })).map((m) => m.group.id);
}

/** Ids of those of `personIds` that are members of the group. */
export async function memberIdsAmong(em: EntityManager, groupId: string, personIds: readonly string[]): Promise<string[]> {
  return (await em.find(GroupMember, { group: groupId, person: { $in: [...personIds] } })).map((m) => m.person.id);
}

/** Removes one membership; returns how many rows went (0 or 1). */
export const deleteMembership = (em: EntityManager, groupId: string, personId: string) =>
  em.nativeDelete(GroupMember, { group: groupId, person: personId });

/** Removes the person's memberships of every group of `groupsOwnerId` not in `keepGroupIds`. */
export const deleteMembershipsExcept = (em: EntityManager, personId: string, groupsOwnerId: string, keepGroupIds: readonly string[]) =>
  em.execute(`delete from group_member where person_id = ? and group_id in (select id from access_group where organization_id = ?)
    ${keepGroupIds.length ? `and group_id not in (${placeholders(keepGroupIds)})` : ''}`, [personId, groupsOwnerId, ...keepGroupIds]);

export const deleteGroupById = (em: EntityManager, id: string) => em.nativeDelete(Group, { id });
export const deletePermissionById = (em: EntityManager, id: string) => em.nativeDelete(Permission, { id });
export const deleteRoleById = (em: EntityManager, id: string) => em.nativeDelete(Role, { id });

/** The link rows (managed, so a service may remove them) of a role's permissions and a person's roles and permissions. */
export const rolePermissionLinks = (em: EntityManager, roleId: string) => em.find(RolePermission, { role: roleId });
/** A person's links to roles and permissions of one RBAC pool (`rbacOwnerId`) only. */
export const personRoleLinks = (em: EntityManager, personId: string, rbacOwnerId: string) =>
  em.find(PersonRole, { person: personId, role: { organization: rbacOwnerId } });
export const personPermissionLinks = (em: EntityManager, personId: string, rbacOwnerId: string) =>
  em.find(PersonPermission, { person: personId, permission: { organization: rbacOwnerId } });
