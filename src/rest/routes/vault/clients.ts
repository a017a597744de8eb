// Secrets Vault /clients and the login-page bootstrap /auth/client, /auth/client-tenant
// (endpoint table 2, rows 7, 8, 29–31), over the same OAuthClient as SlashID's /oauth2/clients.
import { defineRoute } from '../../route.ts';
import { pathParameter } from '../../parameters.ts';
import { clientIdQuery, requiredTenantIdQuery } from '../../schemas/vault.ts';
import { vault } from '../../dialects/vault.ts';
import type { AuthScheme, JsonSchema, ParameterDeclaration, RouteInput } from '../../route.ts';
import { TENANT_SETTINGS } from './tenants.ts';
import type { VaultClientFragment } from '../../generated/operations.ts';
import { CLIENT_AUTH_METHODS, CLIENT_ID, SCOPE } from '../../../domain/oauth/clients.service.ts';

const str = (max: number) => ({ type: 'string', maxLength: max });
const nullableStr = (max: number) => ({ anyOf: [str(max), { type: 'null' }] });
const uris = {
  type: 'array', items: { type: 'string', format: 'uri', minLength: 1, maxLength: 2000 }, maxItems: 32,
  description: 'Absolute URIs without a fragment; javascript:, data:, vbscript: and file: are refused',
};

export const vaultClient: JsonSchema = {
  type: 'object',
  required: ['client_id', 'name', 'tenant_id'],
  properties: {
    client_id: { type: 'string', minLength: 1, maxLength: 128, pattern: CLIENT_ID.source },
    name: { type: 'string', minLength: 1, maxLength: 255, pattern: '\\S', description: 'Not blank' },
    tenant_id: { type: 'string', minLength: 1, maxLength: 128 },
    redirect_uris: uris,
    post_logout_redirect_uri: uris,
    allowed_scopes: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128, pattern: SCOPE.source }, maxItems: 64 },
    token_endpoint_auth_method: {
      type: 'string', enum: CLIENT_AUTH_METHODS,
      description: 'A public client always uses none; a confidential one given none uses client_secret_basic',
    },
    logo_uri: nullableStr(2000), op_policy_url: nullableStr(2000), op_tos_url: nullableStr(2000),
    op_user_agreement_url: nullableStr(2000), client_uri: nullableStr(2000), client_logout_uri: nullableStr(2000),
    register_enable: { type: 'boolean' },
    tenant_name: nullableStr(255),
    client_secret: { anyOf: [{ type: 'string', minLength: 16, maxLength: 256 }, { type: 'null' }] },
    client_type: {
      type: 'string', enum: ['public', 'confidential'],
      description: 'A public client gets the authorization_code and refresh_token grants, a confidential one client_credentials too',
    },
    is_lock: { type: 'boolean' },
    sing_alg: { type: 'string', enum: ['RS256', 'EdDSA'] },
    flow: { anyOf: [{ type: 'object', maxProperties: 16 }, { type: 'null' }] },
  },
};

const CLIENT_FIELDS = /* GraphQL */ `
  fragment VaultClient on OAuthClient {
    client_id: clientId name organization { tenant_id: tenantId } redirect_uris: redirectUris
    post_logout_redirect_uri: postLogoutRedirectUris allowed_scopes: scopes
    token_endpoint_auth_method: tokenEndpointAuthMethod logo_uri: logoUri op_policy_url: policyUrl
    op_tos_url: tosUrl op_user_agreement_url: userAgreementUrl client_uri: clientUri
    client_logout_uri: clientLogoutUri register_enable: registerEnable tenant_name: tenantName
    public is_lock: isLock sing_alg: signAlg flow
  }`;

/** The body of PUT /clients/{client_id}: the client as a whole, whose id cannot change. */
const vaultClientUpdate: JsonSchema = {
  ...vaultClient,
  properties: {
    ...(vaultClient.properties as Record<string, JsonSchema>),
    client_id: { type: 'string', minLength: 1, maxLength: 128, description: 'Must equal the client_id of the path' },
  },
};

const toVaultClient = ({ organization, public: isPublic, ...rest }: VaultClientFragment, clientSecret: string | null = null) => ({
  ...rest,
  tenant_id: organization.tenant_id,
  client_secret: clientSecret,
  client_type: isPublic ? 'public' : 'confidential',
});

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access'];

function inputOf(body: Record<string, any>, creating: boolean) {
  const isPublic = body.client_type !== undefined ? body.client_type === 'public' : creating ? false : undefined;
  const input: Record<string, unknown> = {
    name: body.name, redirectUris: body.redirect_uris, postLogoutRedirectUris: body.post_logout_redirect_uri,
    scopes: body.allowed_scopes ?? (creating ? DEFAULT_SCOPES : undefined),
    tokenEndpointAuthMethod: body.token_endpoint_auth_method, logoUri: body.logo_uri, policyUrl: body.op_policy_url,
    tosUrl: body.op_tos_url, userAgreementUrl: body.op_user_agreement_url, clientUri: body.client_uri,
    clientLogoutUri: body.client_logout_uri, registerEnable: body.register_enable, tenantName: body.tenant_name,
    clientSecret: body.client_secret ?? undefined, public: isPublic, isLock: body.is_lock,
    signAlg: body.sing_alg ?? (creating ? 'EdDSA' : undefined), flow: body.flow,
  };
  if (creating) {
    input.clientId = body.client_id;
    input.grantTypes = isPublic ? ['authorization_code', 'refresh_token'] : ['authorization_code', 'refresh_token', 'client_credentials'];
  } else if (isPublic !== undefined) {
    input.grantTypes = isPublic ? ['authorization_code', 'refresh_token'] : ['authorization_code', 'refresh_token', 'client_credentials'];
  }
  return input;
}


export const readClients = defineRoute(vault, {
  method: 'GET', path: '/clients', operationId: 'read_clients', summary: 'Read Clients',
  parameters: [
    requiredTenantIdQuery,
    { name: 'skip', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000, default: 100 } },
  ],
  operation: /* GraphQL */ `
    query ReadClients($tenantId: String!, $offset: Int, $first: Int) {
      oauthClients(select: { tenantId: $tenantId }, offset: $offset, first: $first) { ...VaultClient }
    } ${CLIENT_FIELDS}`,
  variables: ({ query }) => ({ tenantId: query.tenant_id, offset: query.skip ?? 0, first: query.limit ?? 100 }),
  respond: (data) => ({ body: { clients: data.oauthClients.map((c) => toVaultClient(c)) } }),
  responseSchema: { type: 'object', properties: { clients: { type: 'array', items: vaultClient } } },
  errorStatuses: [401, 404, 422],
});

export const createClient = defineRoute(vault, {
  method: 'POST', path: '/clients', operationId: 'create_client', summary: 'Create Client',
  body: { schema: vaultClient, required: true },
  operation: /* GraphQL */ `
    mutation CreateClient($tenantId: String!, $input: OAuthClientInput!) {
      createOAuthClient(select: { tenantId: $tenantId }, input: $input) { client { ...VaultClient } clientSecret }
    } ${CLIENT_FIELDS}`,
  variables: ({ body }) => ({ tenantId: body.tenant_id, input: inputOf(body, true) }),
  respond: (data) => ({ body: toVaultClient(data.createOAuthClient.client, data.createOAuthClient.clientSecret) }),
  status: 200,
  responseSchema: vaultClient,
  errorStatuses: [401, 404, 409, 422],
});

export const updateClient = defineRoute(vault, {
  method: 'PUT', path: '/clients/{client_id}', operationId: 'update_client', summary: 'Update Client',
  parameters: [pathParameter('client_id', { type: 'string', minLength: 1, maxLength: 128 })],
  body: { schema: vaultClientUpdate, required: true },
  operation: /* GraphQL */ `
    mutation UpdateClient($clientId: String!, $input: OAuthClientInput!) {
      updateOAuthClient(clientId: $clientId, input: $input) { id }
    }`,
  variables: ({ path, body }) => ({ clientId: path.client_id, input: { ...inputOf(body, false), clientId: body.client_id } }),
});

const PUBLIC_CLIENT = /* GraphQL */ `
  fragment PublicClient on OAuthClientPublicInfo {
    client_id: clientId name tenant_id: tenantId logo_uri: logoUri op_policy_url: policyUrl
    op_tos_url: tosUrl op_user_agreement_url: userAgreementUrl client_uri: clientUri
    client_logout_uri: clientLogoutUri register_enable: registerEnable tenant_name: tenantName
  }`;

/** What the login page asks before sign-in: no credentials, a client of a tenant by their ids. */
const publicLookup: { auth: AuthScheme; parameters: ParameterDeclaration[] } = { auth: 'none', parameters: [clientIdQuery, requiredTenantIdQuery] };
const lookedUp = ({ query }: RouteInput) => ({ clientId: query.client_id, tenantId: query.tenant_id });

const publicClientSchema: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(['client_id', 'name', 'tenant_id', 'logo_uri', 'op_policy_url', 'op_tos_url',
    'op_user_agreement_url', 'client_uri', 'client_logout_uri', 'tenant_name'].map((k) => [k, { type: ['string', 'null'] }])),
};

export const getPublicClient = defineRoute(vault, {
  ...publicLookup,
  method: 'GET', path: '/auth/client', operationId: 'get_client', summary: 'Get Client',
  operation: /* GraphQL */ `
    query GetClient($clientId: String!, $tenantId: String!) {
      oauthClientPublicInfo(clientId: $clientId, tenantId: $tenantId) { ...PublicClient }
    } ${PUBLIC_CLIENT}`,
  variables: lookedUp,
  respond: (data) => ({ body: { ...data.oauthClientPublicInfo, has_profile: false } }),
  responseSchema: publicClientSchema,
  errorStatuses: [404, 422],
});

export const getClientTenant = defineRoute(vault, {
  ...publicLookup,
  method: 'GET', path: '/auth/client-tenant', operationId: 'get_client_tenant', summary: 'Get Client Tenant',
  operation: /* GraphQL */ `
    query GetClientTenant($clientId: String!, $tenantId: String!) {
      oauthClientPublicInfo(clientId: $clientId, tenantId: $tenantId) { ...PublicClient tenantSettings { ...TenantSettings } }
    } ${PUBLIC_CLIENT} ${TENANT_SETTINGS}`,
  variables: lookedUp,
  respond: (data) => {
    const { tenantSettings, ...client } = data.oauthClientPublicInfo;
    return { body: { client: { ...client, has_profile: false }, tenant: { tenant_id: client.tenant_id, ...tenantSettings } } };
  },
  responseSchema: { type: 'object', properties: { client: publicClientSchema, tenant: { type: 'object' } } },
  errorStatuses: [404, 422],
});
