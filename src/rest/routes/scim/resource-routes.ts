// The six declarations of a SCIM resource type (RFC 7644 §3: list, create, get, replace, patch,
// delete): /Users and /Groups differ only by names, a group's members and their operations.
// users.ts and groups.ts give the operations (declareTable checks each against its verb's parts);
// each one selects one root field, the resource or the page, which its answer maps.
import type { RouteInput } from '../../route.ts';
import { rootOf } from '../declaration-table.ts';
import {
  idPath, ifMatchHeader, ifMatchOf, ifNoneMatchHeader, listParameters, listResult, listSchema, patchBody, projectionParameters,
  resourceBody, resourceResult, resourceSchema, sortParameters, tenantPath, wantsMembers,
} from '../../schemas/scim.ts';

export interface ScimResourceType {
  /** The path segment: `Users`, `Groups`. */
  segment: string;
  /** The singular of summaries and operation ids: `user`, `group`. */
  noun: string;
  /** Set when the operations take `members`: a group's members are read only when the answer shows them. */
  members?: boolean;
  /** What deleting one does besides, for the summary. */
  deleteNote?: string;
}

type Page = Parameters<typeof listResult>[0];

/**
 * `members` for the operations of a type that takes it. A PATCH (`onlyWhenAsked`) answers without
 * members unless asked (attributes=members): a large group is not read back.
 */
const membersOf = (type: ScimResourceType, query: RouteInput['query'], onlyWhenAsked = false): { members?: boolean } =>
  (type.members ? { members: (!onlyWhenAsked || typeof query.attributes === 'string') && wantsMembers(query) } : {});

const resourceAnswer = (data: Record<string, unknown>, input: RouteInput) => resourceResult(rootOf(data), input);
const target = ({ path }: RouteInput) => ({ tenantId: path.tenant_id, id: path.id });
const writeErrors = [400, 401, 403, 404, 409, 412];

/** Everything but the operation, of each declaration of `type` (for declareTable). */
export function scimResourceParts(type: ScimResourceType) {
  const collection = `/scim/v2/{tenant_id}/${type.segment}`;
  const one = `${collection}/{id}`;
  const { noun } = type;
  return {
    list: {
      method: 'GET' as const, path: collection, operationId: `scim_list_${noun}s`, summary: `List or filter SCIM ${noun}s`,
      parameters: [tenantPath, ...listParameters, ...sortParameters, ifNoneMatchHeader],
      variables: ({ path, query }: RouteInput) => ({
        tenantId: path.tenant_id, filter: query.filter, startIndex: query.startIndex, count: query.count,
        sortBy: query.sortBy, sortOrder: query.sortOrder, ...membersOf(type, query),
      }),
      respond: (data: Record<string, Page>, input: RouteInput) => listResult(rootOf(data), input),
      otherStatuses: [304], responseSchema: listSchema, responseHeaders: ['ETag'], errorStatuses: [400, 401, 403, 404],
    },
    create: {
      method: 'POST' as const, path: collection, operationId: `scim_create_${noun}`, summary: `Create a SCIM ${noun}`,
      parameters: [tenantPath, ...projectionParameters],
      body: { schema: resourceBody },
      variables: ({ path, body }: RouteInput) => ({ tenantId: path.tenant_id, resource: body }),
      respond: (data: Record<string, unknown>, input: RouteInput) => resourceResult(rootOf(data), input, true),
      responseSchema: resourceSchema, responseHeaders: ['Location', 'ETag'], errorStatuses: [400, 401, 403, 404, 409],
    },
    get: {
      method: 'GET' as const, path: one, operationId: `scim_get_${noun}`, summary: `Get a SCIM ${noun}`,
      parameters: [tenantPath, idPath, ...projectionParameters, ifNoneMatchHeader],
      variables: (input: RouteInput) => ({ ...target(input), ...membersOf(type, input.query) }),
      respond: resourceAnswer,
      otherStatuses: [304], responseSchema: resourceSchema, responseHeaders: ['ETag'],
    },
    replace: {
      method: 'PUT' as const, path: one, operationId: `scim_replace_${noun}`, summary: `Replace a SCIM ${noun}`,
      parameters: [tenantPath, idPath, ...projectionParameters, ifMatchHeader],
      body: { schema: resourceBody },
      variables: (input: RouteInput) => ({ ...target(input), resource: input.body, ifMatch: ifMatchOf(input) }),
      respond: resourceAnswer,
      responseSchema: resourceSchema, responseHeaders: ['ETag'], errorStatuses: writeErrors,
    },
    patch: {
      method: 'PATCH' as const, path: one, operationId: `scim_patch_${noun}`, summary: `Patch a SCIM ${noun}`,
      parameters: [tenantPath, idPath, ...projectionParameters, ifMatchHeader],
      body: { schema: patchBody },
      variables: (input: RouteInput) => ({
        ...target(input), patch: input.body, ifMatch: ifMatchOf(input), ...membersOf(type, input.query, true),
      }),
      respond: resourceAnswer,
      responseSchema: resourceSchema, responseHeaders: ['ETag'], errorStatuses: writeErrors,
    },
    delete: {
      method: 'DELETE' as const, path: one, operationId: `scim_delete_${noun}`,
      summary: `Delete a SCIM ${noun}${type.deleteNote ? ` (${type.deleteNote})` : ''}`,
      parameters: [tenantPath, idPath, ifMatchHeader],
      variables: (input: RouteInput) => ({ ...target(input), ifMatch: ifMatchOf(input) }),
      errorStatuses: [401, 403, 404, 412],
    },
  };
}
