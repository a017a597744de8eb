// SCIM search with POST (RFC 7644 §3.4.3, endpoint table 2 rows 48–53): the query of a GET list sent
// as a SearchRequest body, at the tenant's root (users and groups) and per resource type. Same
// filter, paging, sorting and attributes as GET; only the request's shape differs.
import { defineRoute } from '../../route.ts';
import { scim } from '../../dialects/scim.ts';
import type { JsonSchema, RouteInput } from '../../route.ts';
import { listResponse, listSchema, tenantPath, wantsMembers } from '../../schemas/scim.ts';
import { scimInvalid } from '../../../domain/scim/scim-errors.ts';
import { URN } from '../../../domain/scim/scim-schemas.ts';
import { SCIM_USERS_LIST } from './users.ts';
import { SCIM_GROUPS_LIST } from './groups.ts';

const attributeList = { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 256 } } as const;
const searchBody = {
  type: 'object', required: ['schemas'],
  description: `A SearchRequest (schemas: ["${URN.searchRequest}"]) with the parameters of a GET list`,
  properties: {
    schemas: { type: 'array', items: { type: 'string' } },
    attributes: attributeList,
    excludedAttributes: attributeList,
    filter: { type: 'string', maxLength: 4096 },
    sortBy: { type: 'string', maxLength: 256 },
    sortOrder: { type: 'string', enum: ['ascending', 'descending'] },
    startIndex: { type: 'integer', description: '1-based; less than 1 counts as 1' },
    count: { type: 'integer', description: 'At most 200; less than 0 counts as 0' },
  },
} as const;

interface SearchRequest {
  schemas: string[]; attributes?: string[]; excludedAttributes?: string[]; filter?: string;
  sortBy?: string; sortOrder?: string; startIndex?: number; count?: number;
}

/** The SearchRequest of a body, its list parameters, and `attributes` as a GET's query carries them. */
function searchOf(input: RouteInput) {
  const body = input.body as SearchRequest;
  if (!body.schemas.includes(URN.searchRequest)) {
    throw scimInvalid('invalidSyntax', `A search request has schemas: ["${URN.searchRequest}"]`, ['body', 'schemas']);
  }
  const projection = { attributes: body.attributes?.join(','), excludedAttributes: body.excludedAttributes?.join(',') };
  return {
    list: {
      tenantId: input.path.tenant_id, filter: body.filter, startIndex: body.startIndex, count: body.count,
      sortBy: body.sortBy, sortOrder: body.sortOrder,
    },
    projection,
    members: wantsMembers(projection),
  };
}

const shape = { status: 200, responseSchema: listSchema, errorStatuses: [400, 401, 403, 404] };
const body = { schema: searchBody as JsonSchema, required: true };

export const searchUsers = defineRoute(scim, {
  method: 'POST', path: '/scim/v2/{tenant_id}/Users/.search', operationId: 'scim_search_users', summary: 'Search SCIM users (POST)',
  parameters: [tenantPath], body, ...shape,
  operation: SCIM_USERS_LIST,
  variables: (input) => searchOf(input).list,
  respond: (data, input) => ({ body: listResponse(data.scimUsers, searchOf(input).projection) }),
});

export const searchGroups = defineRoute(scim, {
  method: 'POST', path: '/scim/v2/{tenant_id}/Groups/.search', operationId: 'scim_search_groups', summary: 'Search SCIM groups (POST)',
  parameters: [tenantPath], body, ...shape,
  operation: SCIM_GROUPS_LIST,
  variables: (input) => { const { list, members } = searchOf(input); return { ...list, members }; },
  respond: (data, input) => ({ body: listResponse(data.scimGroups, searchOf(input).projection) }),
});

export const searchAll = defineRoute(scim, {
  method: 'POST', path: '/scim/v2/{tenant_id}/.search', operationId: 'scim_search', summary: 'Search SCIM users and groups (POST)',
  parameters: [tenantPath], body, ...shape,
  operation: /* GraphQL */ `
    query ScimSearch(
      $tenantId: String!, $filter: String, $startIndex: Int, $count: Int, $sortBy: String, $sortOrder: String, $members: Boolean
    ) {
      scimSearch(
        tenantId: $tenantId, filter: $filter, startIndex: $startIndex, count: $count, sortBy: $sortBy, sortOrder: $sortOrder, members: $members
      ) {
        totalResults startIndex itemsPerPage resources
      }
    }`,
  variables: (input) => { const { list, members } = searchOf(input); return { ...list, members }; },
  respond: (data, input) => ({ body: listResponse(data.scimSearch, searchOf(input).projection) }),
});
