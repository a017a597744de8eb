// SCIM /Users (RFC 7644 §3, endpoint table 2 rows 48–50): persons of the tenant.
import { defineRoute } from '../../route.ts';
import { scim } from '../../dialects/scim.ts';
import {
  idPath, ifMatchHeader, ifMatchOf, ifNoneMatchHeader, listParameters, listResult, listSchema, patchBody, projectionParameters,
  resourceBody, resourceResult, resourceSchema, sortParameters, tenantPath,
} from '../../schemas/scim.ts';

/** The users list: GET /Users and POST /Users/.search (search.ts) run this one document. */
export const SCIM_USERS_LIST = /* GraphQL */ `
    query ScimUsers($tenantId: String!, $filter: String, $startIndex: Int, $count: Int, $sortBy: String, $sortOrder: String) {
      scimUsers(tenantId: $tenantId, filter: $filter, startIndex: $startIndex, count: $count, sortBy: $sortBy, sortOrder: $sortOrder) {
        totalResults startIndex itemsPerPage resources
      }
    }`;

export const listUsers = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/Users', operationId: 'scim_list_users', summary: 'List or filter SCIM users',
  parameters: [tenantPath, ...listParameters, ...sortParameters, ifNoneMatchHeader],
  operation: SCIM_USERS_LIST,
  variables: ({ path, query }) => ({
    tenantId: path.tenant_id, filter: query.filter, startIndex: query.startIndex, count: query.count,
    sortBy: query.sortBy, sortOrder: query.sortOrder,
  }),
  respond: (data, input) => listResult(data.scimUsers, input),
  otherStatuses: [304], responseSchema: listSchema, responseHeaders: ['ETag'], errorStatuses: [400, 401, 403, 404],
});

export const createUser = defineRoute(scim, {
  method: 'POST', path: '/scim/v2/{tenant_id}/Users', operationId: 'scim_create_user', summary: 'Create a SCIM user',
  parameters: [tenantPath, ...projectionParameters],
  body: { schema: resourceBody },
  operation: /* GraphQL */ `
    mutation ScimCreateUser($tenantId: String!, $resource: JSON!) { scimCreateUser(tenantId: $tenantId, resource: $resource) }`,
  variables: ({ path, body }) => ({ tenantId: path.tenant_id, resource: body }),
  respond: (data, input) => resourceResult(data.scimCreateUser, input, true), responseSchema: resourceSchema, responseHeaders: ['Location', 'ETag'], errorStatuses: [400, 401, 403, 404, 409],
});

export const getUser = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/Users/{id}', operationId: 'scim_get_user', summary: 'Get a SCIM user',
  parameters: [tenantPath, idPath, ...projectionParameters, ifNoneMatchHeader],
  operation: /* GraphQL */ `query ScimUser($tenantId: String!, $id: ID!) { scimUser(tenantId: $tenantId, id: $id) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id, id: path.id }),
  respond: (data, input) => resourceResult(data.scimUser, input), otherStatuses: [304], responseSchema: resourceSchema, responseHeaders: ['ETag'],
});

export const replaceUser = defineRoute(scim, {
  method: 'PUT', path: '/scim/v2/{tenant_id}/Users/{id}', operationId: 'scim_replace_user', summary: 'Replace a SCIM user',
  parameters: [tenantPath, idPath, ...projectionParameters, ifMatchHeader],
  body: { schema: resourceBody },
  operation: /* GraphQL */ `
    mutation ScimReplaceUser($tenantId: String!, $id: ID!, $resource: JSON!, $ifMatch: String) {
      scimReplaceUser(tenantId: $tenantId, id: $id, resource: $resource, ifMatch: $ifMatch)
    }`,
  variables: (input) => ({ tenantId: input.path.tenant_id, id: input.path.id, resource: input.body, ifMatch: ifMatchOf(input) }),
  respond: (data, input) => resourceResult(data.scimReplaceUser, input), responseSchema: resourceSchema, responseHeaders: ['ETag'], errorStatuses: [400, 401, 403, 404, 409, 412],
});

export const patchUser = defineRoute(scim, {
  method: 'PATCH', path: '/scim/v2/{tenant_id}/Users/{id}', operationId: 'scim_patch_user', summary: 'Patch a SCIM user',
  parameters: [tenantPath, idPath, ...projectionParameters, ifMatchHeader],
  body: { schema: patchBody },
  operation: /* GraphQL */ `
    mutation ScimPatchUser($tenantId: String!, $id: ID!, $patch: JSON!, $ifMatch: String) {
      scimPatchUser(tenantId: $tenantId, id: $id, patch: $patch, ifMatch: $ifMatch)
    }`,
  variables: (input) => ({ tenantId: input.path.tenant_id, id: input.path.id, patch: input.body, ifMatch: ifMatchOf(input) }),
  respond: (data, input) => resourceResult(data.scimPatchUser, input), responseSchema: resourceSchema, responseHeaders: ['ETag'], errorStatuses: [400, 401, 403, 404, 409, 412],
});

export const deleteUser = defineRoute(scim, {
  method: 'DELETE', path: '/scim/v2/{tenant_id}/Users/{id}', operationId: 'scim_delete_user',
  summary: 'Delete a SCIM user (ends its sessions and tokens)',
  parameters: [tenantPath, idPath, ifMatchHeader],
  operation: /* GraphQL */ `
    mutation ScimDeleteUser($tenantId: String!, $id: ID!, $ifMatch: String) {
      scimDeleteUser(tenantId: $tenantId, id: $id, ifMatch: $ifMatch)
    }`,
  variables: (input) => ({ tenantId: input.path.tenant_id, id: input.path.id, ifMatch: ifMatchOf(input) }), errorStatuses: [401, 403, 404, 412],
});
