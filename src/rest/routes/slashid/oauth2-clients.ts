// SlashID /oauth2/clients (endpoint table 1, rows 116–123). The organization that owns a client, or
// an ancestor, manages it; any other organization gets 404.
import { defineRoute } from '../../route.ts';
import { pathParameter } from '../../parameters.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';
import type { JsonSchema } from '../../route.ts';
import { GRANT_TYPES, SCOPE } from '../../../domain/oauth/clients.service.ts';
import { inputWrite, pathTarget, withoutNulls } from './declaration-pieces.ts';
import type { OAuthClientInput } from '../../generated/operations.ts';

const clientIdPath = pathParameter('oauth_client_id', { type: 'string', minLength: 1, maxLength: 128 }, 'The OAuth2 client ID');
const client = pathTarget(clientIdPath, 'clientId');
const clientWrite = pathTarget(clientIdPath, 'clientId', ...consistencyHeaders);

const duration = { type: 'integer', minimum: 1, maximum: 31536000 };
const scopes = {
  type: 'array', items: { type: 'string', minLength: 1, maxLength: 128, pattern: SCOPE.source }, maxItems: 64,
  description: 'Scope tokens: printable ASCII without spaces, quotes or backslashes',
};
const grantTypes = {
  type: 'array', maxItems: GRANT_TYPES.length,
  items: { type: 'string', enum: GRANT_TYPES },
  description: 'A public client cannot have client_credentials',
};
const redirectUris = {
  type: 'array', items: { type: 'string', format: 'uri', minLength: 1, maxLength: 2000 }, maxItems: 32,
  description: 'Absolute URIs without a fragment; javascript:, data:, vbscript: and file: are refused',
};
const clientName = { type: 'string', minLength: 1, maxLength: 255, pattern: '\\S', description: 'Not blank' };

const createReq: JsonSchema = {
  type: 'object',
  required: ['client_name', 'scopes', 'grant_types'],
  properties: {
    client_name: clientName, scopes, grant_types: grantTypes,
    access_token_duration: duration, refresh_token_duration: duration,
    redirect_uris: redirectUris, public: { type: 'boolean' },
  },
};

const patchReq: JsonSchema = {
  type: 'object',
  properties: {
    client_name: clientName, grant_types: grantTypes, scopes,
    access_token_duration: duration, refresh_token_duration: duration, redirect_uris: redirectUris,
  },
};

const uiConfiguration: JsonSchema = { type: 'object', maxProperties: 64 };

export const oauth2Client: JsonSchema = {
  type: 'object',
  required: ['client_id', 'client_name', 'grant_types', 'response_types', 'scopes', 'public'],
  properties: {
    client_id: { type: 'string' }, client_name: { type: 'string' }, grant_types: grantTypes,
    response_types: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
    scopes, access_token_duration: { type: 'integer' }, refresh_token_duration: { type: 'integer' },
    public: { type: 'boolean' }, redirect_uris: redirectUris,
    created_at: { type: 'string', format: 'date-time' }, last_used: { type: 'string', format: 'date-time' },
  },
};

const OAUTH2_CLIENT = /* GraphQL */ `
  fragment OAuth2Client on OAuthClient {
    client_id: clientId client_name: name grant_types: grantTypes response_types: responseTypes scopes
    access_token_duration: accessTokenDuration refresh_token_duration: refreshTokenDuration public
    redirect_uris: redirectUris created_at: createdAt last_used: lastUsedAt
  }`;

const inputOf = (body: Record<string, any>): OAuthClientInput => ({
  name: body.client_name, scopes: body.scopes, grantTypes: body.grant_types,
  accessTokenDuration: body.access_token_duration, refreshTokenDuration: body.refresh_token_duration,
  redirectUris: body.redirect_uris, public: body.public,
});

export const listOAuth2Clients = defineRoute(slashid, {
  method: 'GET', path: '/oauth2/clients', summary: 'Retrieve a list of OAuth2 clients',
  operation: /* GraphQL */ `query GetOauth2Clients { oauthClients { ...OAuth2Client } } ${OAUTH2_CLIENT}`,
  respond: (data) => ({ body: data.oauthClients.map(withoutNulls) }),
  responseSchema: { type: 'array', items: oauth2Client },
});

export const createOAuth2Client = defineRoute(slashid, {
  method: 'POST', path: '/oauth2/clients', summary: 'Create a new OAuth2 client',
  ...inputWrite(createReq, inputOf),
  operation: /* GraphQL */ `
    mutation PostOauth2Clients($input: OAuthClientInput!) {
      createOAuthClient(input: $input) { client { ...OAuth2Client } client_secret: clientSecret }
    } ${OAUTH2_CLIENT}`,
  respond: (data) => {
    const { client, client_secret } = data.createOAuthClient;
    return { body: { ...withoutNulls(client), ...(client_secret ? { client_secret } : {}) } };
  },
  responseSchema: { allOf: [oauth2Client, { type: 'object', properties: { client_secret: { type: 'string' } } }] },
});

export const getOAuth2Client = defineRoute(slashid, {
  method: 'GET', path: '/oauth2/clients/{oauth_client_id}', summary: 'Retrieve an OAuth2 client',
  ...client,
  operation: /* GraphQL */ `
    query GetOauth2Client($clientId: String!) { oauthClient(clientId: $clientId) { ...OAuth2Client } } ${OAUTH2_CLIENT}`,
  respond: (data) => ({ body: withoutNulls(data.oauthClient) }),
  responseSchema: oauth2Client,
});

export const deleteOAuth2Client = defineRoute(slashid, {
  method: 'DELETE', path: '/oauth2/clients/{oauth_client_id}', summary: 'Delete an existing OAuth2 client',
  ...clientWrite,
  operation: /* GraphQL */ `mutation DeleteOauth2Client($clientId: String!) { deleteOAuthClient(clientId: $clientId) }`,
});

export const patchOAuth2Client = defineRoute(slashid, {
  method: 'PATCH', path: '/oauth2/clients/{oauth_client_id}', summary: 'Modify an existing OAuth2 client',
  ...inputWrite(patchReq, inputOf, clientWrite),
  operation: /* GraphQL */ `
    mutation PatchOauth2Client($clientId: String!, $input: OAuthClientInput!) {
      updateOAuthClient(clientId: $clientId, input: $input) { ...OAuth2Client }
    } ${OAUTH2_CLIENT}`,
  respond: (data) => ({ body: withoutNulls(data.updateOAuthClient) }),
  responseSchema: oauth2Client,
});

export const rotateOAuth2ClientSecret = defineRoute(slashid, {
  method: 'PUT', path: '/oauth2/clients/{oauth_client_id}/secret', summary: 'Generate a new client secret',
  ...clientWrite,
  operation: /* GraphQL */ `
    mutation RotateSecret($clientId: String!) { rotateOAuthClientSecret(clientId: $clientId) { client_secret: clientSecret } }`,
  respond: (data) => ({ body: { client_secret: data.rotateOAuthClientSecret.client_secret } }),
  responseSchema: { type: 'object', required: ['client_secret'], properties: { client_secret: { type: 'string' } } },
});

export const getOAuth2ClientUi = defineRoute(slashid, {
  method: 'GET', path: '/oauth2/clients/{oauth_client_id}/ui-configuration', operationId: 'GetOauth2UiConfiguration',
  summary: 'Retrieve the configuration for the hosted UI',
  ...client,
  operation: /* GraphQL */ `
    query GetUi($clientId: String!) { oauthClient(clientId: $clientId) { uiConfiguration } }`,
  respond: (data) => ({ body: data.oauthClient.uiConfiguration ?? {} }),
  responseSchema: uiConfiguration,
});

export const putOAuth2ClientUi = defineRoute(slashid, {
  method: 'PUT', path: '/oauth2/clients/{oauth_client_id}/ui-configuration', operationId: 'PutOauth2UiConfiguration',
  summary: 'Modify the configuration for the hosted UI',
  ...clientWrite,
  body: { schema: uiConfiguration, required: true },
  operation: /* GraphQL */ `
    mutation PutUi($clientId: String!, $configuration: JSONObject!) {
      setOAuthClientUiConfiguration(clientId: $clientId, configuration: $configuration) { uiConfiguration }
    }`,
  variables: (input) => ({ ...clientWrite.variables(input), configuration: input.body }),
  respond: (data) => ({ body: data.setOAuthClientUiConfiguration.uiConfiguration }),
  status: 201,
  responseSchema: uiConfiguration,
});
