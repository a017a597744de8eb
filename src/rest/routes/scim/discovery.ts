// SCIM discovery (RFC 7644 §4, endpoint table 2 rows 43–47): what this server supports.
import { defineRoute } from '../../route.ts';
import { scim } from '../../dialects/scim.ts';
import { idPath, listResponse, resourceSchema, tenantPath } from '../../schemas/scim.ts';

const list = (resources: unknown[]) => ({ totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, resources });

export const serviceProviderConfig = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/ServiceProviderConfig', operationId: 'scim_service_provider_config',
  summary: 'SCIM service provider configuration',
  parameters: [tenantPath],
  operation: /* GraphQL */ `query ScimServiceProviderConfig($tenantId: String!) { scimServiceProviderConfig(tenantId: $tenantId) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id }),
  respond: (data) => ({ body: data.scimServiceProviderConfig }), responseSchema: resourceSchema,
});

export const resourceTypes = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/ResourceTypes', operationId: 'scim_resource_types', summary: 'SCIM resource types',
  parameters: [tenantPath],
  operation: /* GraphQL */ `query ScimResourceTypes($tenantId: String!) { scimResourceTypes(tenantId: $tenantId) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id }),
  respond: (data, { query }) => ({ body: listResponse(list(data.scimResourceTypes), query) }),
});

export const resourceType = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/ResourceTypes/{id}', operationId: 'scim_resource_type', summary: 'SCIM resource type',
  parameters: [tenantPath, idPath],
  operation: /* GraphQL */ `query ScimResourceType($tenantId: String!, $id: String!) { scimResourceType(tenantId: $tenantId, id: $id) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id, id: path.id }),
  respond: (data) => ({ body: data.scimResourceType }), responseSchema: resourceSchema,
});

export const schemas = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/Schemas', operationId: 'scim_schemas', summary: 'SCIM schemas',
  parameters: [tenantPath],
  operation: /* GraphQL */ `query ScimSchemas($tenantId: String!) { scimSchemas(tenantId: $tenantId) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id }),
  respond: (data, { query }) => ({ body: listResponse(list(data.scimSchemas), query) }),
});

export const schema = defineRoute(scim, {
  method: 'GET', path: '/scim/v2/{tenant_id}/Schemas/{id}', operationId: 'scim_schema', summary: 'SCIM schema',
  parameters: [tenantPath, idPath],
  operation: /* GraphQL */ `query ScimSchema($tenantId: String!, $id: String!) { scimSchema(tenantId: $tenantId, id: $id) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id, id: path.id }),
  respond: (data) => ({ body: data.scimSchema }), responseSchema: resourceSchema,
});
