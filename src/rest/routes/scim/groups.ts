// SCIM /Groups (RFC 7644 §3, endpoint table 2 rows 51–53): the tenant's groups. A group's members are
// read only when the answer shows them (not with excludedAttributes=members).
import { defineRoute } from '../../route.ts';
import { scim } from '../../dialects/scim.ts';
import {
  idPath, ifMatchHeader, ifMatchOf, ifNoneMatchHeader, listParameters, listResult, listSchema, patchBody, projectionParameters,
  resourceBody, resourceResult, resourceSchema, sortParameters, tenantPath, wantsMembers,
} from '../../schemas/scim.ts';

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

export const listGroups = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/Groups', operationId: 'scim_list_groups', summary: 'List or filter SCIM groups',
  parameters: [tenantPath, ...listParameters, ...sortParameters, ifNoneMatchHeader],
  operation: SCIM_GROUPS_LIST,
  variables: ({ path, query }) => ({
    tenantId: path.tenant_id, filter: query.filter, startIndex: query.startIndex, count: query.count,
    sortBy: query.sortBy, sortOrder: query.sortOrder, members: wantsMembers(query),
  }),
  respond: (data, input) => listResult(data.scimGroups, input),
  otherStatuses: [304], responseSchema: listSchema, responseHeaders: ['ETag'], errorStatuses: [400, 401, 403, 404],
});

export const createGroup = defineRoute(scim, {
  method: 'POST', path: '/scim/v2/{tenant_id}/Groups', operationId: 'scim_create_group', summary: 'Create a SCIM group',
  parameters: [tenantPath, ...projectionParameters],
  body: { schema: resourceBody },
  operation: /* GraphQL */ `
    mutation ScimCreateGroup($tenantId: String!, $resource: JSON!) { scimCreateGroup(tenantId: $tenantId, resource: $resource) }`,
  variables: ({ path, body }) => ({ tenantId: path.tenant_id, resource: body }),
  respond: (data, input) => resourceResult(data.scimCreateGroup, input, true), responseSchema: resourceSchema, responseHeaders: ['Location', 'ETag'], errorStatuses: [400, 401, 403, 404, 409],
});

export const getGroup = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/Groups/{id}', operationId: 'scim_get_group', summary: 'Get a SCIM group',
  parameters: [tenantPath, idPath, ...projectionParameters, ifNoneMatchHeader],
  operation: /* GraphQL */ `
    query ScimGroup($tenantId: String!, $id: ID!, $members: Boolean) { scimGroup(tenantId: $tenantId, id: $id, members: $members) }`,
  variables: ({ path, query }) => ({ tenantId: path.tenant_id, id: path.id, members: wantsMembers(query) }),
  respond: (data, input) => resourceResult(data.scimGroup, input), otherStatuses: [304], responseSchema: resourceSchema, responseHeaders: ['ETag'],
});

export const replaceGroup = defineRoute(scim, {
  method: 'PUT', path: '/scim/v2/{tenant_id}/Groups/{id}', operationId: 'scim_replace_group', summary: 'Replace a SCIM group',
  parameters: [tenantPath, idPath, ...projectionParameters, ifMatchHeader],
  body: { schema: resourceBody },
  operation: /* GraphQL */ `
    mutation ScimReplaceGroup($tenantId: String!, $id: ID!, $resource: JSON!, $ifMatch: String) {
      scimReplaceGroup(tenantId: $tenantId, id: $id, resource: $resource, ifMatch: $ifMatch)
    }`,
  variables: (input) => ({ tenantId: input.path.tenant_id, id: input.path.id, resource: input.body, ifMatch: ifMatchOf(input) }),
  respond: (data, input) => resourceResult(data.scimReplaceGroup, input), responseSchema: resourceSchema, responseHeaders: ['ETag'], errorStatuses: [400, 401, 403, 404, 409, 412],
});

export const patchGroup = defineRoute(scim, {
  method: 'PATCH', path: '/scim/v2/{tenant_id}/Groups/{id}', operationId: 'scim_patch_group', summary: 'Patch a SCIM group',
  parameters: [tenantPath, idPath, ...projectionParameters, ifMatchHeader],
  body: { schema: patchBody },
  operation: /* GraphQL */ `
    mutation ScimPatchGroup($tenantId: String!, $id: ID!, $patch: JSON!, $ifMatch: String, $members: Boolean) {
      scimPatchGroup(tenantId: $tenantId, id: $id, patch: $patch, ifMatch: $ifMatch, members: $members)
    }`,
  // A PATCH answers without members unless asked (attributes=members): a large group is not read back.
  variables: (input) => ({
    tenantId: input.path.tenant_id, id: input.path.id, patch: input.body, ifMatch: ifMatchOf(input),
    members: typeof input.query.attributes === 'string' && wantsMembers(input.query),
  }),
  respond: (data, input) => resourceResult(data.scimPatchGroup, input), responseSchema: resourceSchema, responseHeaders: ['ETag'], errorStatuses: [400, 401, 403, 404, 409, 412],
});

export const deleteGroup = defineRoute(scim, {
  method: 'DELETE', path: '/scim/v2/{tenant_id}/Groups/{id}', operationId: 'scim_delete_group',
  summary: 'Delete a SCIM group',
  parameters: [tenantPath, idPath, ifMatchHeader],
  operation: /* GraphQL */ `
    mutation ScimDeleteGroup($tenantId: String!, $id: ID!, $ifMatch: String) {
      scimDeleteGroup(tenantId: $tenantId, id: $id, ifMatch: $ifMatch)
    }`,
  variables: (input) => ({ tenantId: input.path.tenant_id, id: input.path.id, ifMatch: ifMatchOf(input) }), errorStatuses: [401, 403, 404, 412],
});
