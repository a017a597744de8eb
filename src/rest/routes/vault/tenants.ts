// Secrets Vault /tenants (endpoint table 2, rows 35, 36, 39, 40). A tenant is an organization.
import { defineRoute } from '../../route.ts';
import { vault } from '../../dialects/vault.ts';
import { tenant, tenantIdPath, tenantSettingsFields, tenantUpdate } from '../../schemas/vault.ts';
import { selectionOf, toGraphInput } from '../../wire-mapping.ts';

const common = { dialect: vault, auth: 'vault_api_key' as const };

export const TENANT = /* GraphQL */ `
  fragment Tenant on Organization { tenant_id: tenantId tenantSettings { ${selectionOf(tenantSettingsFields)} } }`;

export const toTenant = (org: { tenant_id: string; tenantSettings: Record<string, unknown> }) =>
  ({ tenant_id: org.tenant_id, ...org.tenantSettings });

export const listTenants = defineRoute({
  ...common,
  method: 'GET', path: '/tenants', operationId: 'list_tenants', summary: 'List the tenants you manage',
  operation: /* GraphQL */ `query ListTenants { organizations { ...Tenant } } ${TENANT}`,
  variables: () => ({}),
  respond: (data) => ({ body: { tenants: data.organizations.map(toTenant) } }),
  status: 200,
  responseSchema: { type: 'object', properties: { tenants: { type: 'array', items: tenant } } },
  errorStatuses: [401],
});

export const createTenant = defineRoute({
  ...common,
  method: 'POST', path: '/tenants', operationId: 'create_tenant', summary: 'Create Tenant',
  body: { schema: tenant },
  operation: /* GraphQL */ `
    mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { id } }`,
  variables: ({ body }) => ({
    input: { tenantId: body.tenant_id, settings: toGraphInput(tenantSettingsFields, body) },
  }),
  respond: () => ({}),
  status: 201,
  errorStatuses: [401, 409, 422],
});

export const readTenant = defineRoute({
  ...common,
  method: 'GET', path: '/tenants/{tenant_id}', operationId: 'read_tenant', summary: 'Read Tenant',
  parameters: [tenantIdPath],
  operation: /* GraphQL */ `
    query ReadTenant($tenantId: String!) { organization(select: { tenantId: $tenantId }) { ...Tenant } } ${TENANT}`,
  variables: ({ path }) => ({ tenantId: path.tenant_id }),
  respond: (data) => ({ body: toTenant(data.organization) }),
  status: 200,
  responseSchema: tenant,
  errorStatuses: [401, 404, 422],
});

export const updateTenant = defineRoute({
  ...common,
  method: 'PUT', path: '/tenants/{tenant_id}', operationId: 'update_tenant', summary: 'Update Tenant',
  parameters: [tenantIdPath],
  body: { schema: tenantUpdate },
  operation: /* GraphQL */ `
    mutation UpdateTenant($tenantId: String!, $settings: TenantSettingsInput!) {
      updateTenantSettings(select: { tenantId: $tenantId }, settings: $settings) { id }
    }`,
  variables: ({ path, body }) => ({ tenantId: path.tenant_id, settings: toGraphInput(tenantSettingsFields, body) }),
  respond: () => ({}),
  status: 200,
  errorStatuses: [401, 404, 422],
});
