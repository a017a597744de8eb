// SlashID RBAC (endpoint table 1, rows 40–44, 58–68): permissions, roles, what persons hold.
// Reads carry an ETag; writes honour If-Match (412 on mismatch). Names go URL-encoded in paths.
import { defineRoute, type JsonSchema, type ParameterDeclaration, type RouteInput, type RouteSpec } from '../../route.ts';
import { pathParameter } from '../../parameters.ts';
import { slashid } from '../../dialects/slashid.ts';
import { personIdPath, consistencyHeaders } from '../../schemas/slashid.ts';
import { MAX_ROLE_NAME, NAME_PATTERNS } from '../../../domain/access/names.ts';
import { omitNulls } from '../../wire-mapping.ts';
import {
  describedName, description, nameList, names, personNames, personNamesRoute, pathTarget, requiredMember, tagged, type Typed,
} from './declaration-pieces.ts';

const permissionName = { type: 'string', maxLength: 1024 };
const roleName = { type: 'string', maxLength: 140 };
// A name a write takes must follow the name rules; a path names an existing one (else 404).
const validPermissionName = {
  ...permissionName, pattern: NAME_PATTERNS.permission,
  description: '2–1024 characters of A-Z a-z 0-9 . _ - : / \\, alphanumeric at both ends',
};
const validRoleName = {
  type: 'string', maxLength: MAX_ROLE_NAME, pattern: NAME_PATTERNS.role,
  description: '2–100 characters of A-Z a-z 0-9 . _ - :, alphanumeric at both ends, optionally prefixed with '
    + 'your organization ID and a slash ("{org_id}/")',
};
const permissionNames = { type: 'array', items: validPermissionName, maxItems: 1000, description: 'Names of existing permissions' };
const ifMatchHeader: ParameterDeclaration = {
  name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'An ETag from a previous read',
};
const permissionPath = pathParameter('permission_name', permissionName, 'The permission name, URL-encoded');
const rolePath = pathParameter('role_name', roleName, 'The role name, URL-encoded');
const ifMatch = (input: RouteInput) => input.headers['if-match'] ?? null;
/** A write that honours If-Match: 412 when the ETag is not the current one. */
const conditional = { status: 204, errorStatuses: [400, 401, 404, 412] };
/** Setting a person's list (`member`: roles or permissions), conditionally; the operation takes `$id`, `$<member>` and `$ifMatch`. */
const personListWrite = <const M extends string>(member: M, list: JsonSchema) => ({
  parameters: [personIdPath, ifMatchHeader, ...consistencyHeaders],
  body: { schema: requiredMember(member, list) },
  variables: (input: RouteInput) =>
    ({ id: input.path.person_id, [member]: input.body[member], ifMatch: ifMatch(input) }) as { id: string; ifMatch: string | null } & Record<M, string[]>,
  ...conditional,
});
/** Changing a role's or permission's description (and `more`), conditionally. */
const describedChange = (path: ParameterDeclaration, more: Record<string, JsonSchema> = {}) => ({
  parameters: [path, ifMatchHeader, ...consistencyHeaders],
  body: { schema: { type: 'object', properties: { description, ...more } } },
  ...conditional,
});
type Kind = 'permissions' | 'roles';
/** GET /rbac/<kind>: the names of the kind, with the ETag of the whole list. */
function rbacList<const K extends Kind, const S extends string>(
  kind: K, operation: Typed<S, Record<K, { name: string }[]> & { rbacTags: Record<K, string> }, {}>,
) {
  return defineRoute<S>(slashid, {
    method: 'GET', path: `/rbac/${kind}`, summary: `Get a list of ${kind}`, operation,
    respond: (data: Record<K, { name: string }[]> & { rbacTags: Record<K, string> }) => tagged(nameList(data[kind]), data.rbacTags[kind]),
    responseSchema: names,
  } as unknown as RouteSpec<S>);
}
/** Creating a permission or role: no body in the answer; 402 past the tier's limit, 409 for a name taken. */
const rbacCreate = <M extends Record<string, JsonSchema> = {}>(name: JsonSchema, more = {} as M) =>
  ({ ...describedName(name, more), status: 204, errorStatuses: [400, 401, 402, 409] });

export const getPersonPermissions = personNamesRoute('permissions', 'Get permissions for a person',
  /* GraphQL */ `query GetPersonPermissions($id: ID!) { person(id: $id) { permissions { name } } }`);

export const getPersonAdditionalPermissions = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/additional-permissions', summary: 'Get additional permissions for a person',
  ...personNames,
  operation: /* GraphQL */ `
    query GetPersonAdditionalPermissions($id: ID!) { person(id: $id) { additionalPermissions { name } additionalPermissionsEtag } }`,
  respond: ({ person }) => tagged(nameList(person.additionalPermissions), person.additionalPermissionsEtag),
});

export const putPersonAdditionalPermissions = defineRoute(slashid, {
  method: 'PUT', path: '/persons/{person_id}/additional-permissions', operationId: 'PutPersonsPersonIdPermissions',
  summary: 'Set the permissions for a person',
  ...personListWrite('permissions', permissionNames),
  operation: /* GraphQL */ `
    mutation PutPersonPermissions($id: ID!, $permissions: [String!]!, $ifMatch: String) {
      setPersonAdditionalPermissions(personId: $id, permissions: $permissions, ifMatch: $ifMatch) { id }
    }`,
});

export const getPersonRoles = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/roles', summary: 'Get roles for a person',
  ...personNames,
  operation: /* GraphQL */ `query GetPersonRoles($id: ID!) { person(id: $id) { roleNames rolesEtag } }`,
  respond: ({ person }) => tagged(person.roleNames, person.rolesEtag),
});

export const putPersonRoles = defineRoute(slashid, {
  method: 'PUT', path: '/persons/{person_id}/roles', summary: 'Set the roles for a person',
  ...personListWrite('roles', { type: 'array', items: validRoleName, maxItems: 1000, description: 'Names of existing roles' }),
  operation: /* GraphQL */ `
    mutation PutPersonRoles($id: ID!, $roles: [String!]!, $ifMatch: String) {
      setPersonRoles(personId: $id, roles: $roles, ifMatch: $ifMatch) { id }
    }`,
});

export const listPermissions = rbacList('permissions', /* GraphQL */ `query GetPermissions { permissions { name } rbacTags { permissions } }`);

export const createPermission = defineRoute(slashid, {
  method: 'POST', path: '/rbac/permissions', summary: 'Create a permission',
  ...rbacCreate(validPermissionName),
  operation: /* GraphQL */ `
    mutation PostPermission($name: String!, $description: String) { createPermission(name: $name, description: $description) { id } }`,
});

export const getPermission = defineRoute(slashid, {
  method: 'GET', path: '/rbac/permissions/{permission_name}', summary: 'Get a permission',
  ...pathTarget(permissionPath, 'name'),
  operation: /* GraphQL */ `
    query GetPermission($name: String!) { permission(name: $name) { name description created: createdAt etag } }`,
  respond: ({ permission: { etag, ...body } }) => tagged(omitNulls(body, 'description'), etag),
  responseSchema: { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' }, created: { type: 'string', format: 'date-time' } } },
});

export const patchPermission = defineRoute(slashid, {
  method: 'PATCH', path: '/rbac/permissions/{permission_name}', summary: 'Update a permission',
  ...describedChange(permissionPath),
  operation: /* GraphQL */ `
    mutation PatchPermission($name: String!, $description: String, $ifMatch: String) {
      updatePermission(name: $name, description: $description, ifMatch: $ifMatch) { id }
    }`,
  variables: (input) => ({ name: input.path.permission_name, description: input.body.description, ifMatch: ifMatch(input) }),
});

export const deletePermission = defineRoute(slashid, {
  method: 'DELETE', path: '/rbac/permissions/{permission_name}', summary: 'Delete a permission',
  ...pathTarget(permissionPath, 'name', ...consistencyHeaders),
  operation: /* GraphQL */ `mutation DeletePermission($name: String!) { deletePermission(name: $name) }`,
  errorStatuses: [400, 401, 404, 409],
});

export const listRoles = rbacList('roles', /* GraphQL */ `query GetRoles { roles { name } rbacTags { roles } }`);

export const createRole = defineRoute(slashid, {
  method: 'POST', path: '/rbac/roles', summary: 'Create a role',
  ...rbacCreate(validRoleName, { permissions: permissionNames }),
  operation: /* GraphQL */ `
    mutation PostRole($name: String!, $description: String, $permissions: [String!]) {
      createRole(name: $name, description: $description, permissions: $permissions) { id }
    }`,
});

export const getRole = defineRoute(slashid, {
  method: 'GET', path: '/rbac/roles/{role_name}', summary: 'Get a role',
  ...pathTarget(rolePath, 'name'),
  operation: /* GraphQL */ `
    query GetRole($name: String!) { role(name: $name) { name description created: createdAt permissions { name } etag } }`,
  respond: ({ role: { etag, permissions, ...rest } }) => tagged({ ...omitNulls(rest, 'description'), permissions: nameList(permissions) }, etag),
  responseSchema: {
    type: 'object',
    properties: { name: { type: 'string' }, description: { type: 'string' }, created: { type: 'string', format: 'date-time' }, permissions: names },
  },
});

export const patchRole = defineRoute(slashid, {
  method: 'PATCH', path: '/rbac/roles/{role_name}', summary: 'Update a role',
  ...describedChange(rolePath, { permissions: permissionNames }),
  operation: /* GraphQL */ `
    mutation PatchRole($name: String!, $description: String, $permissions: [String!], $ifMatch: String) {
      updateRole(name: $name, description: $description, permissions: $permissions, ifMatch: $ifMatch) { id }
    }`,
  variables: (input) => ({
    name: input.path.role_name, description: input.body.description, permissions: input.body.permissions, ifMatch: ifMatch(input),
  }),
  errorStatuses: [400, 401, 402, 404, 412],
});

export const deleteRole = defineRoute(slashid, {
  method: 'DELETE', path: '/rbac/roles/{role_name}', summary: 'Delete a role',
  ...pathTarget(rolePath, 'name', ...consistencyHeaders),
  operation: /* GraphQL */ `mutation DeleteRole($name: String!) { deleteRole(name: $name) }`,
});

export const check = defineRoute(slashid, {
  method: 'POST', path: '/rbac/check', summary: 'Check whether a person has a permission',
  body: {
    schema: {
      type: 'object', required: ['person_id', 'permission_name'],
      properties: { person_id: { type: 'string', maxLength: 128 }, permission_name: validPermissionName },
    },
  },
  operation: /* GraphQL */ `
    query PostRBACCheck($id: ID!, $permission: String!) { granted: checkPermission(personId: $id, permission: $permission) }`,
  variables: ({ body }) => ({ id: body.person_id, permission: body.permission_name }),
  respond: (data) => ({ body: { granted: data.granted } }),
  status: 200,
  responseSchema: { type: 'object', properties: { granted: { type: 'boolean' } } },
  errorStatuses: [400, 401, 404],
});
