// Data access for groups, roles and permissions. Rules live in group.service.ts and rbac.service.ts.
// The *OfMany functions serve the DataLoaders: one statement whatever the number of keys.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Group, GroupMember } from './group.entity.ts';
import { Permission, PersonPermission, PersonRole, Role, RolePermission } from './rbac.entity.ts';

const placeholders = (ids: readonly unknown[]) => ids.map(() => '?').join(',');

export const findGroup = (em: EntityManager, organizationId: string, name: string) =>
  em.findOne(Group, { organization: organizationId, name });

export const listGroups = (em: EntityManager, organizationId: string) =>
  em.find(Group, { organization: organizationId }, { orderBy: { name: 'asc' } });

export const findGroupsByName = (em: EntityManager, organizationId: string, names: readonly string[]) =>
  em.find(Group, { organization: organizationId, name: { $in: [...names] } });

export const findPermission = (em: EntityManager, organizationId: string, name: string) =>
  em.findOne(Permission, { organization: organizationId, name });

export const listPermissions = (em: EntityManager, organizationId: string) =>
  em.find(Permission, { organization: organizationId }, { orderBy: { name: 'asc' } });

export const findPermissionsByName = (em: EntityManager, organizationId: string, names: readonly string[]) =>
  em.find(Permission, { organization: organizationId, name: { $in: [...names] } });

export const findRole = (em: EntityManager, organizationId: string, name: string) =>
  em.findOne(Role, { organization: organizationId, name });

export const listRoles = (em: EntityManager, organizationId: string) =>
  em.find(Role, { organization: organizationId }, { orderBy: { name: 'asc' } });

export const findRolesByName = (em: EntityManager, organizationId: string, names: readonly string[]) =>
  em.find(Role, { organization: organizationId, name: { $in: [...names] } });

export async function groupsOfPersons(em: EntityManager, personIds: readonly string[]) {
  const rows = await em.find(GroupMember, { person: { $in: [...personIds] } },
    { populate: ['group'], strategy: 'joined', orderBy: { group: { name: 'asc' } } });
  return rows.map((r) => ({ personId: r.person.id, group: r.group.getEntity() }));
}

export async function rolesOfPersons(em: EntityManager, personIds: readonly string[]) {
  const rows = await em.find(PersonRole, { person: { $in: [...personIds] } },
    { populate: ['role'], strategy: 'joined', orderBy: { role: { name: 'asc' } } });
  return rows.map((r) => ({ personId: r.person.id, role: r.role.getEntity() }));
}

export async function permissionsOfRoles(em: EntityManager, roleIds: readonly string[]) {
  const rows = await em.find(RolePermission, { role: { $in: [...roleIds] } },
    { populate: ['permission'], strategy: 'joined', orderBy: { permission: { name: 'asc' } } });
  return rows.map((r) => ({ roleId: r.role.id, permission: r.permission.getEntity() }));
}

export async function additionalPermissionsOfPersons(em: EntityManager, personIds: readonly string[]) {
  const rows = await em.find(PersonPermission, { person: { $in: [...personIds] } },
    { populate: ['permission'], strategy: 'joined', orderBy: { permission: { name: 'asc' } } });
  return rows.map((r) => ({ personId: r.person.id, permission: r.permission.getEntity() }));
}

/** Member ids of many groups, oldest membership first. */
export async function memberIdsOfGroups(em: EntityManager, groupIds: readonly string[]) {
  return em.execute<{ group_id: string; person_id: string }[]>(
    `select group_id, person_id from group_member where group_id in (${placeholders(groupIds)}) order by created_at, person_id`,
    [...groupIds]);
}

/** Member ids of many roles. */
export async function holderIdsOfRoles(em: EntityManager, roleIds: readonly string[]) {
  return em.execute<{ role_id: string; person_id: string }[]>(
    `select role_id, person_id from person_role where role_id in (${placeholders(roleIds)}) order by person_id`, [...roleIds]);
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
