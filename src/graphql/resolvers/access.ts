import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import {
  addGroupMembers, createGroup, deleteGroup, getGroup, getGroups, removeGroupMember, setPersonGroups,
} from '../../domain/access/group.service.ts';
import {
  checkPermission, createPermission, createRole, deletePermission, deleteRole, getPermission, getPermissions,
  getRole, getRoles, namesEtag, permissionEtag, permissionListEtag, roleEtag, roleListEtag,
  setPersonAdditionalPermissions, setPersonRoles, updatePermission, updateRole,
} from '../../domain/access/rbac.service.ts';
import { getPerson } from '../../domain/person/person.service.ts';
import type { Person, PersonView } from '../../domain/person/person.entity.ts';
import type { PermissionView } from '../../domain/access/rbac.entity.ts';
import { pageArgs } from './pagination.ts';

/** A connection page over ids already loaded in order. */
async function pageOf(ids: string[], args: { first?: number | null; after?: string | null }, ctx: GraphQLContext) {
  const { limit, offset } = pageArgs(args);
  const slice = ids.slice(offset, offset + limit);
  const persons = (await ctx.loaders.personById.loadMany(slice)).filter((p): p is Person => !!p && !(p instanceof Error));
  return { persons, offset, totalCount: ids.length };
}

// What String.prototype.localeCompare compares by (the default locale), built once rather than per call.
const byLocale = new Intl.Collator().compare;

/** Past this many, permissions are merged through a Map and Array#sort; below it, in place (no Map, no sort buffer). */
const FEW_PERMISSIONS = 16;

/** Additional ∪ those of each role, one per name (the last one read), sorted by name. */
function mergedPermissions(direct: PermissionView[], viaRoles: PermissionView[][]): PermissionView[] {
  if (viaRoles.length === 0 && direct.length <= 1) return direct;
  let count = direct.length;
  for (const list of viaRoles) count += list.length;
  if (count > FEW_PERMISSIONS) {
    const byName = new Map<string, PermissionView>();
    for (const p of direct) byName.set(p.name, p);
    for (const list of viaRoles) for (const p of list) byName.set(p.name, p);
    return [...byName.values()].sort((a, b) => byLocale(a.name, b.name));
  }
  // A person holds a few permissions: each one is put in its place as it comes (a stable insertion sort).
  const merged: PermissionView[] = [];
  const add = (p: PermissionView) => {
    for (let i = 0; i < merged.length; i++) if (merged[i].name === p.name) { merged[i] = p; return; }
    let i = merged.length;
    while (i > 0 && byLocale(merged[i - 1].name, p.name) > 0) { merged[i] = merged[i - 1]; i--; }
    merged[i] = p;
  };
  for (const p of direct) add(p);
  for (const list of viaRoles) for (const p of list) add(p);
  return merged;
}

/** Effective permissions: synchronously when the loaders already hold the lists (a prefetched page), else loaded. */
function effectivePermissions(person: PersonView, { loaders }: GraphQLContext): PermissionView[] | Promise<PermissionView[]> {
  const direct = loaders.additionalPermissionsByPerson.get(person.id);
  const roles = loaders.rolesByPerson.get(person.id);
  if (Array.isArray(direct) && Array.isArray(roles)) {
    const viaRoles = roles.map((r) => loaders.permissionsByRole.get(r.id));
    if (viaRoles.every((list) => Array.isArray(list))) return mergedPermissions(direct, viaRoles as PermissionView[][]);
  }
  return (async () => {
    const [loadedDirect, loadedRoles] = await Promise.all([direct, roles]);
    return mergedPermissions(loadedDirect, await Promise.all(loadedRoles.map((r) => loaders.permissionsByRole.load(r.id))));
  })();
}

export const accessResolvers: Resolvers = {
  Query: {
    groups: async (_, __, ctx) => getGroups(ctx.em, await managedOrganizationOf(ctx)),
    group: async (_, { name }, ctx) => getGroup(ctx.em, await managedOrganizationOf(ctx), name),
    permissions: async (_, __, ctx) => getPermissions(ctx.em, await managedOrganizationOf(ctx)),
    permission: async (_, { name }, ctx) => getPermission(ctx.em, await managedOrganizationOf(ctx), name),
    roles: async (_, __, ctx) => getRoles(ctx.em, await managedOrganizationOf(ctx)),
    role: async (_, { name }, ctx) => getRole(ctx.em, await managedOrganizationOf(ctx), name),
    rbacTags: async (_, __, ctx) => {
      const o = await managedOrganizationOf(ctx);
      const [permissions, roles] = await Promise.all([permissionListEtag(ctx.em, o), roleListEtag(ctx.em, o)]);
      return { permissions, roles };
    },
    checkPermission: async (_, { personId, permission }, ctx) => checkPermission(ctx.em, await managedOrganizationOf(ctx), personId, permission),
  },
  Mutation: {
    createGroup: async (_, { name, description }, ctx) => createGroup(ctx.em, await managedOrganizationOf(ctx), name, description),
    deleteGroup: async (_, { name }, ctx) => deleteGroup(ctx.em, await managedOrganizationOf(ctx), name),
    addGroupMembers: async (_, { group, personIds }, ctx) => addGroupMembers(ctx.em, await managedOrganizationOf(ctx), group, personIds),
    removeGroupMember: async (_, { group, personId }, ctx) => removeGroupMember(ctx.em, await managedOrganizationOf(ctx), group, personId),
    setPersonGroups: async (_, { personId, groups }, ctx) => {
      const o = await managedOrganizationOf(ctx);
      return setPersonGroups(ctx.em, o, await getPerson(ctx.em, o, personId), groups);
    },
    createPermission: async (_, { name, description }, ctx) => createPermission(ctx.em, await managedOrganizationOf(ctx), name, description),
    updatePermission: async (_, { name, description, ifMatch }, ctx) =>
      updatePermission(ctx.em, await managedOrganizationOf(ctx), name, description, ifMatch),
    deletePermission: async (_, { name }, ctx) => deletePermission(ctx.em, await managedOrganizationOf(ctx), name),
    createRole: async (_, { name, description, permissions }, ctx) =>
      createRole(ctx.em, await managedOrganizationOf(ctx), name, description, permissions),
    updateRole: async (_, { name, ...input }, ctx) => updateRole(ctx.em, await managedOrganizationOf(ctx), name, input),
    deleteRole: async (_, { name }, ctx) => deleteRole(ctx.em, await managedOrganizationOf(ctx), name),
    setPersonRoles: async (_, { personId, roles, ifMatch }, ctx) => setPersonRoles(ctx.em, await managedOrganizationOf(ctx), personId, roles, ifMatch),
    setPersonAdditionalPermissions: async (_, { personId, permissions, ifMatch }, ctx) =>
      setPersonAdditionalPermissions(ctx.em, await managedOrganizationOf(ctx), personId, permissions, ifMatch),
  },
  Group: {
    membersCount: async (group, _, { loaders }) => (await loaders.memberIdsByGroup.load(group.id)).length,
    memberIds: (group, _, { loaders }) => loaders.memberIdsByGroup.load(group.id),
    persons: async (group, args, ctx) => pageOf(await ctx.loaders.memberIdsByGroup.load(group.id), args, ctx),
  },
  Role: {
    permissions: (role, _, { loaders }) => loaders.permissionsByRole.get(role.id),
    persons: async (role, args, ctx) => pageOf(await ctx.loaders.holderIdsByRole.load(role.id), args, ctx),
    etag: async (role, _, { loaders }) => roleEtag(role, (await loaders.permissionsByRole.load(role.id)).map((p) => p.name)),
  },
  Permission: {
    etag: (permission) => permissionEtag(permission),
  },
  Person: {
    groups: (person, _, { loaders }) => loaders.groupsByPerson.get(person.id),
    roles: (person, _, { loaders }) => loaders.rolesByPerson.get(person.id),
    roleNames: async (person, _, { loaders }) => (await loaders.rolesByPerson.load(person.id)).map((r) => r.name),
    additionalPermissions: (person, _, { loaders }) => loaders.additionalPermissionsByPerson.get(person.id),
    permissions: (person, _, ctx) => effectivePermissions(person, ctx),
    rolesEtag: async (person, _, { loaders }) =>
      namesEtag('roles', (await loaders.rolesByPerson.load(person.id)).map((r) => r.name)),
    additionalPermissionsEtag: async (person, _, { loaders }) =>
      namesEtag('permissions', (await loaders.additionalPermissionsByPerson.load(person.id)).map((p) => p.name)),
  },
};
