// SCIM discovery (RFC 7644 §4, endpoint table 2 rows 43–47): what this server supports. The
// resource types and the schemas are each a collection, listed whole and read one by id.
import { defineRoute, type RouteInput } from '../../route.ts';
import { scim } from '../../dialects/scim.ts';
import { idPath, listResponse, resourceSchema, tenantPath } from '../../schemas/scim.ts';
import { declareTable, rootOf } from '../declaration-table.ts';

const list = (resources: unknown[]) => ({ totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, resources });
const tenantOf = ({ path }: RouteInput) => ({ tenantId: path.tenant_id });
const document = (data: Record<string, unknown>) => ({ body: rootOf(data) });

/** The list and the one-by-id read of a discovery collection (`ResourceTypes`: resource type). */
function collection(segment: string, noun: string) {
  const id = noun.replaceAll(' ', '_');
  return {
    all: {
      method: 'GET' as const, path: `/scim/v2/{tenant_id}/${segment}`, operationId: `scim_${id}s`, summary: `SCIM ${noun}s`,
      parameters: [tenantPath],
      variables: tenantOf,
      respond: (data: Record<string, unknown[]>, { query }: RouteInput) => ({ body: listResponse(list(rootOf(data)), query) }),
    },
    one: {
      method: 'GET' as const, path: `/scim/v2/{tenant_id}/${segment}/{id}`, operationId: `scim_${id}`, summary: `SCIM ${noun}`,
      parameters: [tenantPath, idPath],
      variables: (input: RouteInput) => ({ ...tenantOf(input), id: input.path.id }),
      respond: document, responseSchema: resourceSchema,
    },
  };
}

export const serviceProviderConfig = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/ServiceProviderConfig', operationId: 'scim_service_provider_config',
  summary: 'SCIM service provider configuration',
  parameters: [tenantPath],
  operation: /* GraphQL */ `query ScimServiceProviderConfig($tenantId: String!) { scimServiceProviderConfig(tenantId: $tenantId) }`,
  variables: tenantOf,
  respond: document, responseSchema: resourceSchema,
});

export const { all: resourceTypes, one: resourceType } = declareTable(scim, collection('ResourceTypes', 'resource type'), {
  all: /* GraphQL */ `query ScimResourceTypes($tenantId: String!) { scimResourceTypes(tenantId: $tenantId) }`,
  one: /* GraphQL */ `query ScimResourceType($tenantId: String!, $id: String!) { scimResourceType(tenantId: $tenantId, id: $id) }`,
});

export const { all: schemas, one: schema } = declareTable(scim, collection('Schemas', 'schema'), {
  all: /* GraphQL */ `query ScimSchemas($tenantId: String!) { scimSchemas(tenantId: $tenantId) }`,
  one: /* GraphQL */ `query ScimSchema($tenantId: String!, $id: String!) { scimSchema(tenantId: $tenantId, id: $id) }`,
});
