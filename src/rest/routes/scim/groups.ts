// SCIM /Groups (RFC 7644 §3, endpoint table 2 rows 51–53): the tenant's groups. A group's members are
// read only when the answer shows them (not with excludedAttributes=members).
import { scim } from '../../dialects/scim.ts';
import { declareTable } from '../declaration-table.ts';
import { scimResourceParts } from './resource-routes.ts';

/** The groups list: GET /Groups and POST /Groups/.search (search.ts) run this one document. */
export const SCIM_GROUPS_LIST = /* GraphQL */ `
    query ScimGroups(
      $tenantId: String!, $filter: String, $startIndex: Int, $count: Int, $sortBy: String, $sortOrder: String, $members: Boolean
    ) {
      scimGroups(
        tenantId: $tenantId, filter: $filter, startIndex: $startIndex, count: $count, sortBy: $sortBy, sortOrder: $sortOrder, members: $members
      ) {
        totalResults startIndex itemsPerPage resources
      }
    }`;

export const {
  list: listGroups, create: createGroup, get: getGroup, replace: replaceGroup, patch: patchGroup, delete: deleteGroup,
} = declareTable(scim, scimResourceParts({ segment: 'Groups', noun: 'group', members: true }), {
  list: SCIM_GROUPS_LIST,
  create: /* GraphQL */ `
    mutation ScimCreateGroup($tenantId: String!, $resource: JSON!) { scimCreateGroup(tenantId: $tenantId, resource: $resource) }`,
  get: /* GraphQL */ `
    query ScimGroup($tenantId: String!, $id: ID!, $members: Boolean) { scimGroup(tenantId: $tenantId, id: $id, members: $members) }`,
  replace: /* GraphQL */ `
    mutation ScimReplaceGroup($tenantId: String!, $id: ID!, $resource: JSON!, $ifMatch: String) {
      scimReplaceGroup(tenantId: $tenantId, id: $id, resource: $resource, ifMatch: $ifMatch)
    }`,
  patch: /* GraphQL */ `
    mutation ScimPatchGroup($tenantId: String!, $id: ID!, $patch: JSON!, $ifMatch: String, $members: Boolean) {
      scimPatchGroup(tenantId: $tenantId, id: $id, patch: $patch, ifMatch: $ifMatch, members: $members)
    }`,
  delete: /* GraphQL */ `
    mutation ScimDeleteGroup($tenantId: String!, $id: ID!, $ifMatch: String) {
      scimDeleteGroup(tenantId: $tenantId, id: $id, ifMatch: $ifMatch)
    }`,
});
