// SCIM /Users (RFC 7644 §3, endpoint table 2 rows 48–50): persons of the tenant.
import { scim } from '../../dialects/scim.ts';
import { declareTable } from '../declaration-table.ts';
import { scimResourceParts } from './resource-routes.ts';

/** The users list: GET /Users and POST /Users/.search (search.ts) run this one document. */
export const SCIM_USERS_LIST = /* GraphQL */ `
    query ScimUsers($tenantId: String!, $filter: String, $startIndex: Int, $count: Int, $sortBy: String, $sortOrder: String) {
      scimUsers(tenantId: $tenantId, filter: $filter, startIndex: $startIndex, count: $count, sortBy: $sortBy, sortOrder: $sortOrder) {
        totalResults startIndex itemsPerPage resources
      }
    }`;

export const {
  list: listUsers, create: createUser, get: getUser, replace: replaceUser, patch: patchUser, delete: deleteUser,
} = declareTable(scim, scimResourceParts({ segment: 'Users', noun: 'user', deleteNote: 'ends its sessions and tokens' }), {
  list: SCIM_USERS_LIST,
  create: /* GraphQL */ `
    mutation ScimCreateUser($tenantId: String!, $resource: JSON!) { scimCreateUser(tenantId: $tenantId, resource: $resource) }`,
  get: /* GraphQL */ `query ScimUser($tenantId: String!, $id: ID!) { scimUser(tenantId: $tenantId, id: $id) }`,
  replace: /* GraphQL */ `
    mutation ScimReplaceUser($tenantId: String!, $id: ID!, $resource: JSON!, $ifMatch: String) {
      scimReplaceUser(tenantId: $tenantId, id: $id, resource: $resource, ifMatch: $ifMatch)
    }`,
  patch: /* GraphQL */ `
    mutation ScimPatchUser($tenantId: String!, $id: ID!, $patch: JSON!, $ifMatch: String) {
      scimPatchUser(tenantId: $tenantId, id: $id, patch: $patch, ifMatch: $ifMatch)
    }`,
  delete: /* GraphQL */ `
    mutation ScimDeleteUser($tenantId: String!, $id: ID!, $ifMatch: String) {
      scimDeleteUser(tenantId: $tenantId, id: $id, ifMatch: $ifMatch)
    }`,
});
