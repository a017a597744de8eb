// Rules for permissions, roles, and what persons hold. Effective permissions of a person are its
// additional permissions and those of every role it holds. Writes take an optional If-Match: the
// entity's own tag or, for a permission or role, the tag of its list (the only one SlashID's reference declares).
// Roles and permissions are those of the organization's RBAC pool (rbac-pool.ts): an inheriting
// organization reads its owner's, writes roles there, and cannot write permissions.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { Permission, PersonPermission, PersonRole, Role, RolePermission } from './rbac.entity.ts';
import {
  additionalPermissionsOfPersons, countRolesHolding, deletePermissionById, deleteRoleById, findPermission,
  findPermissionsByName, findRole, findRolesByName, listPermissions, listRoles, permissionsOfRoles, personHasPermission,
  personPermissionLinks, personRoleLinks, rolePermissionLinks, rolesOfPersons,
} from './access.queries.ts';
import { assertPermissionName, assertRoleName } from './names.ts';
import { assertIfMatch, assertIfMatchEither, etagOf } from './etag.ts';
import { BadRequest, Conflict, NotFound, ValidationFailed } from '../errors.ts';
import { flushOrConflict } from '../unique-flush.ts';
import { inheritsPermissions, rbacPoolOwnerOf } from './rbac-pool.ts';
import { timeOrderedUuid } from '../ids.ts';
import { getPerson } from '../person/person-lookup.ts';
import { emitEvent } from '../webhook/events.ts';

const MAX_DESCRIPTION = 1024;
const show = (name: string) => JSON.stringify(name.slice(0, 100));
/** The id of the organization whose roles and permissions `org` uses. */
const pool = (org: Organization) => rbacPoolOwnerOf(org);
const poolOwnerRef = (em: EntityManager, org: Organization) => em.getReference(Organization, pool(org));

/** The reference: an inheriting organization's permissions are read-only (written by the pool's owner). */
function assertOwnsPermissions(org: Organization) {
  if (inheritsPermissions(org)) {
    throw new BadRequest(`This organization inherits its permissions (inherit_rbac_pools) from organization ${pool(org)}: `
      + 'create, change and delete permissions there');
  }
}

function assertDescription(description: string | null | undefined) {
  if (description != null && description.length > MAX_DESCRIPTION) {
    throw new ValidationFailed(`description must be at most ${MAX_DESCRIPTION} characters`);
  }
}

// Entity tags: the same canonical forms are tagged on reads (resolvers) and checked on writes.
export const permissionEtag = (p: Pick<Permission, 'name' | 'description'>) => etagOf(['permission', p.name, p.description ?? null]);
export const roleEtag = (r: Pick<Role, 'name' | 'description'>, permissionNames: string[]) =>
  etagOf(['role', r.name, r.description ?? null, [...permissionNames].sort()]);
export const namesEtag = (kind: string, names: string[]) => etagOf([kind, [...names].sort()]);

/** The tag of the organization's permission list (GET /rbac/permissions): every name and description. */
export async function permissionListEtag(em: EntityManager, org: Organization) {
  const permissions = await listPermissions(em, pool(org));
  return etagOf(['permissions', permissions.map((p) => [p.name, p.description ?? null]).sort()]);
}

/** The tag of the organization's role list (GET /rbac/roles): every role's name, description and permissions. */
export async function roleListEtag(em: EntityManager, org: Organization) {
  const roles = await listRoles(em, pool(org));
  const links = roles.length ? await permissionsOfRoles(em, roles.map((r) => r.id)) : [];
  const held = (role: Role) => links.filter((l) => l.roleId === role.id).map((l) => l.permission.name).sort();
  return etagOf(['roles', roles.map((r) => [r.name, r.description ?? null, held(r)]).sort()]);
}

/** Makes a link table hold exactly `wanted` (by target id): removes the others, creates the missing. */
function syncLinks<L extends object, T extends { id: string }>(
  em: EntityManager, current: L[], targetOf: (link: L) => { id: string }, wanted: T[], create: (target: T) => void,
) {
  const wantedIds = new Set(wanted.map((t) => t.id));
  const currentIds = new Set(current.map((l) => targetOf(l).id));
  for (const link of current) if (!wantedIds.has(targetOf(link).id)) em.remove(link);
  for (const target of wanted) if (!currentIds.has(target.id)) create(target);
}

const flushUnique = (em: EntityManager, what: string) => flushOrConflict(em, `${what} already exists`);

export async function getPermission(em: EntityManager, org: Organization, name: string) {
  const permission = await findPermission(em, pool(org), name);
  if (!permission) throw new NotFound(`No permission named ${show(name)} in this organization`);
  return permission;
}

export const getPermissions = (em: EntityManager, org: Organization) => listPermissions(em, pool(org));

/**
 * The rows `names` name (each checked by `assertName` first), all of which must exist: else the
 * refusal `missing` makes of the first absent name.
 */
async function allNamed<T extends { name: string }>(
  names: readonly string[], assertName: (name: string) => void, findByName: (names: string[]) => Promise<T[]>,
  missing: (name: string) => Error,
): Promise<T[]> {
  const unique = [...new Set(names)];
  unique.forEach((n) => assertName(n));
  const found = unique.length ? await findByName(unique) : [];
  const absent = unique.filter((n) => !found.some((row) => row.name === n));
  if (absent.length) throw missing(absent[0]!);
  return found;
}

/** The named permissions, all of which must exist. */
export const resolvePermissions = (em: EntityManager, org: Organization, names: readonly string[]) =>
  allNamed(names, assertPermissionName, (unique) => findPermissionsByName(em, pool(org), unique),
    (name) => new ValidationFailed(`Permission ${show(name)} does not exist; create it first`));

export async function createPermission(em: EntityManager, org: Organization, name: string, description?: string | null) {
  assertOwnsPermissions(org);
  assertPermissionName(name);
  assertDescription(description);
  if (await findPermission(em, pool(org), name)) throw new Conflict(`Permission ${show(name)} already exists`);
  const permission = em.create(Permission, { id: timeOrderedUuid(), organization: poolOwnerRef(em, org), name, description: description ?? null });
  await flushUnique(em, `Permission ${show(name)}`);
  return permission;
}

export async function updatePermission(
  em: EntityManager, org: Organization, name: string, description: string | null | undefined, ifMatch?: string | null,
) {
  assertOwnsPermissions(org);
  const permission = await getPermission(em, org, name);
  await assertIfMatchEither(ifMatch, permissionEtag(permission), () => permissionListEtag(em, org));
  assertDescription(description);
  if (description !== undefined) permission.description = description;
  await em.flush();
  return permission;
}

export async function deletePermission(em: EntityManager, org: Organization, name: string) {
  assertOwnsPermissions(org);
  const permission = await getPermission(em, org, name);
  if (await countRolesHolding(em, permission.id)) {
    throw new Conflict(`Permission ${show(name)} is held by a role; remove it from every role first`);
  }
  await deletePermissionById(em, permission.id);
  return name;
}

export async function getRole(em: EntityManager, org: Organization, name: string) {
  const role = await findRole(em, pool(org), name);
  if (!role) throw new NotFound(`No role named ${show(name)} in this organization`);
  return role;
}

export const getRoles = (em: EntityManager, org: Organization) => listRoles(em, pool(org));

/** The named roles, all of which must exist. */
export const resolveRoles = (em: EntityManager, org: Organization, names: readonly string[]) =>
  allNamed(names, (n) => assertRoleName(n, org.id, pool(org)), (unique) => findRolesByName(em, pool(org), unique),
    (name) => new ValidationFailed(`Role ${show(name)} does not exist in this organization`));

export async function createRole(
  em: EntityManager, org: Organization, name: string, description?: string | null, permissions?: readonly string[] | null,
) {
  assertRoleName(name, org.id, pool(org));
  assertDescription(description);
  const held = await resolvePermissions(em, org, permissions ?? []);
  if (await findRole(em, pool(org), name)) throw new Conflict(`Role ${show(name)} already exists`);
  const role = em.create(Role, { id: timeOrderedUuid(), organization: poolOwnerRef(em, org), name, description: description ?? null });
  for (const permission of held) em.create(RolePermission, { role, permission });
  await flushUnique(em, `Role ${show(name)}`);
  return role;
}

export async function rolePermissionNames(em: EntityManager, role: Role) {
  return (await permissionsOfRoles(em, [role.id])).map((r) => r.permission.name);
}

export async function updateRole(
  em: EntityManager, org: Organization, name: string,
  input: { description?: string | null; permissions?: readonly string[] | null; ifMatch?: string | null },
) {
  const role = await getRole(em, org, name);
  await assertIfMatchEither(input.ifMatch, roleEtag(role, await rolePermissionNames(em, role)), () => roleListEtag(em, org));
  assertDescription(input.description);
  if (input.description !== undefined) role.description = input.description;
  if (input.permissions != null) {
    const held = await resolvePermissions(em, org, input.permissions);
    const current = await rolePermissionLinks(em, role.id);
    syncLinks(em, current, (l) => l.permission, held, (permission) => em.create(RolePermission, { role, permission }));
  }
  await em.flush();
  return role;
}

export async function deleteRole(em: EntityManager, org: Organization, name: string) {
  const role = await getRole(em, org, name);
  await deleteRoleById(em, role.id);
  return name;
}

export async function personRoleNames(em: EntityManager, org: Organization, personId: string) {
  return (await rolesOfPersons(em, [personId], org.id)).map((r) => r.role.name);
}

export async function personAdditionalPermissionNames(em: EntityManager, org: Organization, personId: string) {
  return (await additionalPermissionsOfPersons(em, [personId], org.id)).map((r) => r.permission.name);
}

/** Stages the person's roles (replacing any) without flushing, so person creation stays atomic. */
export async function stagePersonRoles(em: EntityManager, org: Organization, person: Person, names: readonly string[], replace: boolean) {
  const roles = await resolveRoles(em, org, names);
  const current = await personRoleLinks(em, person.id, pool(org));
  syncLinks(em, replace ? current : [], (l) => l.role,
    roles.filter((r) => replace || !current.some((l) => l.role.id === r.id)), (role) => em.create(PersonRole, { person, role }));
}

export async function setPersonRoles(
  em: EntityManager, org: Organization, personId: string, names: readonly string[], ifMatch?: string | null,
) {
  const person = await getPerson(em, org, personId);
  assertIfMatch(ifMatch, namesEtag('roles', await personRoleNames(em, org, person.id)));
  await stagePersonRoles(em, org, person, names, true);
  await em.flush();
  await emitEvent(em, org.id, 'RoleAssigned_v1', { person_id: person.id, roles: [...names] });
  return person;
}

export async function setPersonAdditionalPermissions(
  em: EntityManager, org: Organization, personId: string, names: readonly string[], ifMatch?: string | null,
) {
  const person = await getPerson(em, org, personId);
  assertIfMatch(ifMatch, namesEtag('permissions', await personAdditionalPermissionNames(em, org, person.id)));
  const permissions = await resolvePermissions(em, org, names);
  const current = await personPermissionLinks(em, person.id, pool(org));
  syncLinks(em, current, (l) => l.permission, permissions, (permission) => em.create(PersonPermission, { person, permission }));
  await em.flush();
  return person;
}

export async function checkPermission(em: EntityManager, org: Organization, personId: string, name: string) {
  assertPermissionName(name);
  const person = await getPerson(em, org, personId);
  const permission = await findPermission(em, pool(org), name);
  if (!permission) return false;
  return personHasPermission(em, person.id, permission.id);
}
