// SlashID SSO with OIDC (endpoint table 1, rows 8–11 and 82–86): the organization's clients at
// upstream OpenID providers (the secret is write-only), and the upstream tokens of SSO sign-ins.
import { defineRoute, type JsonSchema } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders, sdkVersionHeader } from '../../schemas/slashid.ts';
import { stringPath } from '../../parameters.ts';
import {
  MAX_CLIENT_ID, MAX_CLIENT_SECRET, MAX_LABEL, MAX_OIDC_CREDENTIALS, MAX_OPTIONS_BYTES, OIDC_PROVIDERS,
} from '../../../domain/sso/oidc-credential.service.ts';
import { OIDC_TOKEN_TYPES } from '../../../domain/sso/oidc-token.entity.ts';
import { inputWrite, pathTarget, withoutNulls } from './declaration-pieces.ts';
import type { SsoOidcCredentialInput } from '../../generated/operations.ts';

const PATH = '/organizations/sso/oidc/provider-credentials';
const clientIdPath = stringPath('oauth_client_id', MAX_CLIENT_ID, 'An OAuth client ID (of the upstream provider)');
const provider: JsonSchema = {
  type: 'string', enum: [...OIDC_PROVIDERS],
  description: 'SlashID\'s providers, plus `oidc`: any OpenID provider, found by discovery from the issuer URL in `options.oidc.issuer`',
};
const options: JsonSchema = {
  type: 'object', additionalProperties: true, maxProperties: 20,
  description: `Per provider (at most ${MAX_OPTIONS_BYTES} bytes as JSON): { google|…: { authorize_scopes: [...] } }; `
    + 'okta: { organization_url } (its issuer); azuread: { tenant } (a tenant id or domain: common/organizations/consumers cannot be '
    + 'verified); oidc: { issuer } (an https issuer URL, discovered at /.well-known/openid-configuration). GitHub and Bitbucket are '
    + 'OAuth 2.0 only: they cannot be enabled for sign-in on the hosted page',
};
const label: JsonSchema = { type: 'string', maxLength: MAX_LABEL };
const externalCredId: JsonSchema = { type: 'string', maxLength: 64 };
const enable: JsonSchema = { type: 'boolean', description: 'Offered as "Continue with <label>" on the hosted sign-in page' };
const credential: JsonSchema = {
  type: 'object', required: ['client_id', 'provider'],
  properties: {
    client_id: { type: 'string' }, provider: { type: 'string', enum: [...OIDC_PROVIDERS] }, label: { type: 'string' },
    external_cred_id: { type: 'string' }, enable_in_slashid_oidc_authz_server: { type: 'boolean' },
    options: { type: 'object', additionalProperties: true },
  },
};
/** What a create and a change of credentials both take (`external_cred` is the deprecated name of `external_cred_id`). */
const changeOf = (body: Record<string, any>) => ({
  clientSecret: body.client_secret, label: body.label, options: body.options,
  externalCredId: body.external_cred_id ?? body.external_cred, enableInAuthzServer: body.enable_in_slashid_oidc_authz_server,
});
const CREDENTIAL = /* GraphQL */ `
  fragment SsoOidcCredentialFields on SsoOidcCredential {
    client_id: clientId provider label external_cred_id: externalCredId
    enable_in_slashid_oidc_authz_server: enableInAuthzServer options
  }`;

export const listSsoOidcCredentials = defineRoute(slashid, {
  method: 'GET', path: PATH, summary: 'List OIDC credentials for SSO',
  parameters: [{ name: 'oauth_provider', in: 'query', schema: { type: 'string', enum: [...OIDC_PROVIDERS] }, description: 'Only the credentials of this provider' }],
  operation: /* GraphQL */ `
    query ListSsoOidcCredentials($provider: String) { organization { ssoOidcCredentials(provider: $provider) { ...SsoOidcCredentialFields } } } ${CREDENTIAL}`,
  variables: ({ query }) => ({ provider: query.oauth_provider || undefined }),
  respond: (data) => ({ body: data.organization.ssoOidcCredentials.map(withoutNulls) }),
  responseSchema: { type: 'array', items: credential },
});

export const createSsoOidcCredential = defineRoute(slashid, {
  method: 'POST', path: PATH, summary: 'Create a new set of OIDC provider credentials for SSO',
  ...inputWrite({
    type: 'object', required: ['client_id', 'client_secret', 'provider'],
    description: `At most ${MAX_OIDC_CREDENTIALS} sets per organization (then 402); a client_id already used in the organization is a 409. The secret is sealed and never returned`,
    properties: {
      client_id: { type: 'string', minLength: 1, maxLength: MAX_CLIENT_ID }, client_secret: { type: 'string', minLength: 1, maxLength: MAX_CLIENT_SECRET },
      provider, label, options, external_cred_id: externalCredId, external_cred: { ...externalCredId, deprecated: true },
      enable_in_slashid_oidc_authz_server: enable,
    },
  }, (body): SsoOidcCredentialInput => ({ clientId: body.client_id, provider: body.provider, ...changeOf(body) })),
  operation: /* GraphQL */ `
    mutation CreateSsoOidcCredential($input: SsoOidcCredentialInput!) { createSsoOidcCredential(input: $input) { clientId } }`,
  errorStatuses: [400, 401, 402, 409],
});

export const getSsoOidcCredential = defineRoute(slashid, {
  method: 'GET', path: `${PATH}/{oauth_client_id}`, summary: 'Get an existing set of OIDC provider credentials for SSO',
  ...pathTarget(clientIdPath, 'clientId'),
  operation: /* GraphQL */ `
    query GetSsoOidcCredential($clientId: String!) { organization { ssoOidcCredential(clientId: $clientId) { ...SsoOidcCredentialFields } } } ${CREDENTIAL}`,
  respond: (data) => ({ body: withoutNulls(data.organization.ssoOidcCredential) }),
  responseSchema: credential,
});

export const deleteSsoOidcCredential = defineRoute(slashid, {
  method: 'DELETE', path: `${PATH}/{oauth_client_id}`, summary: 'Delete an existing set of OIDC provider credentials for SSO',
  ...pathTarget(clientIdPath, 'clientId', ...consistencyHeaders),
  operation: /* GraphQL */ `mutation DeleteSsoOidcCredential($clientId: String!) { deleteSsoOidcCredential(clientId: $clientId) }`,
  status: 200,
});

export const updateSsoOidcCredential = defineRoute(slashid, {
  method: 'PATCH', path: `${PATH}/{oauth_client_id}`, summary: 'Modify an existing set of OIDC provider credentials for SSO',
  parameters: [clientIdPath, ...consistencyHeaders],
  body: {
    schema: {
      type: 'object', description: 'A change of the credentials makes the provider be discovered again at the next sign-in',
      properties: {
        client_secret: { type: 'string', minLength: 1, maxLength: MAX_CLIENT_SECRET }, label, options,
        external_cred_id: externalCredId, external_cred: { ...externalCredId, deprecated: true }, enable_in_slashid_oidc_authz_server: enable,
      },
    },
    required: true,
  },
  operation: /* GraphQL */ `
    mutation UpdateSsoOidcCredential($clientId: String!, $change: SsoOidcCredentialChange!) {
      updateSsoOidcCredential(clientId: $clientId, change: $change) { clientId }
    }`,
  variables: ({ path, body }) => ({ clientId: path.oauth_client_id, change: changeOf(body) }),
  status: 200,
});

const tokenTypes: JsonSchema = { type: 'array', maxItems: 3, items: { type: 'string', enum: [...OIDC_TOKEN_TYPES] } };
const tokenDetail: JsonSchema = {
  type: 'object', required: ['token', 'token_type', 'expiry', 'provider', 'client_id', 'authentication_id', 'person_id', 'organization_id'],
  properties: {
    token: { type: 'string' }, token_type: { type: 'string', enum: [...OIDC_TOKEN_TYPES] }, expiry: { type: 'string', format: 'date-time' },
    provider: { type: 'string' }, client_id: { type: 'string' }, authentication_id: { type: 'string' }, person_id: { type: 'string' },
    organization_id: { type: 'string' }, extra_callback_values: { type: 'object', additionalProperties: true },
  },
};
const TOKEN = /* GraphQL */ `
  fragment SsoOidcTokenFields on SsoOidcToken {
    token token_type: tokenType expiry provider client_id: clientId authentication_id: authenticationId
    person_id: personId organization_id: organizationId extra_callback_values: extraCallbackValues
  }`;

export const getSsoOidcTokens = defineRoute(slashid, {
  method: 'GET', path: '/sso/oidc/tokens', summary: 'Retrieve OIDC tokens',
  parameters: [{
    name: 'SlashID-Token', in: 'header', required: true, schema: { type: 'string', maxLength: 16384 },
    description: 'The token this server issued at the end of the SSO sign-in (its ID token or access token)',
  }],
  operation: /* GraphQL */ `
    query SsoOidcTokensOfContainer($container: String!) { ssoOidcTokensOfContainer(tokenContainer: $container) { ...SsoOidcTokenFields } } ${TOKEN}`,
  variables: ({ headers }) => ({ container: headers['slashid-token'] ?? '' }),
  respond: (data) => ({ body: data.ssoOidcTokensOfContainer.map(withoutNulls), headers: { 'Cache-Control': 'no-store' } }),
  responseSchema: { type: 'array', items: tokenDetail },
  errorStatuses: [400, 401, 403, 404],
});

export const querySsoOidcTokens = defineRoute(slashid, {
  method: 'POST', path: '/sso/oidc/tokens/query', summary: 'Query tokens obtained through SSO with OIDC',
  body: {
    schema: {
      type: 'object', required: ['person_id'],
      properties: { person_id: { type: 'string', maxLength: 64 }, authentication_ids: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 64 } }, token_types: tokenTypes },
    },
    required: true,
  },
  operation: /* GraphQL */ `
    query SsoOidcTokenQuery($personId: ID!, $ids: [String!], $types: [String!]) {
      ssoOidcTokenQuery(personId: $personId, authenticationIds: $ids, tokenTypes: $types) { ...SsoOidcTokenFields }
    } ${TOKEN}`,
  variables: ({ body }) => ({ personId: body.person_id, ids: body.authentication_ids, types: body.token_types }),
  respond: (data) => ({ body: data.ssoOidcTokenQuery.map(withoutNulls), headers: { 'Cache-Control': 'no-store' } }),
  status: 200,
  responseSchema: { type: 'array', items: tokenDetail },
  errorStatuses: [400, 401, 404],
});

export const revokeSsoOidcTokensV2 = defineRoute(slashid, {
  method: 'POST', path: '/sso/oidc/tokens/revoke/v2', summary: 'Revoke an OAuth token obtained through SSO with OIDC',
  body: {
    schema: {
      type: 'object', required: ['person_id', 'authentication_id'],
      description: 'Revoked here and at the provider\'s revocation endpoint (RFC 7009) when it has one',
      properties: { person_id: { type: 'string', maxLength: 64 }, authentication_id: { type: 'string', maxLength: 64 }, token_types: tokenTypes },
    },
    required: true,
  },
  operation: /* GraphQL */ `
    mutation RevokeSsoOidcTokens($personId: ID!, $id: String!, $types: [String!]) {
      revokeSsoOidcTokens(personId: $personId, authenticationId: $id, tokenTypes: $types)
    }`,
  variables: ({ body }) => ({ personId: body.person_id, id: body.authentication_id, types: body.token_types }),
  status: 204,
  errorStatuses: [400, 401, 404],
});

export const revokeSsoOidcTokenDeprecated = defineRoute(slashid, {
  auth: 'slashid_api_key',
  method: 'POST', path: '/sso/oidc/tokens/revoke', summary: '(Deprecated) Revoke an OAuth token obtained through SSO with OIDC',
  parameters: [sdkVersionHeader],
  body: {
    schema: {
      type: 'object', required: ['client_id', 'token', 'token_type'],
      description: 'Deprecated: use /sso/oidc/tokens/revoke/v2. Sent to the revocation endpoint of the provider of client_id (RFC 7009)',
      properties: {
        client_id: { type: 'string', minLength: 1, maxLength: MAX_CLIENT_ID }, token: { type: 'string', minLength: 1, maxLength: 16384 },
        token_type: { type: 'string', enum: ['access_token', 'refresh_token'] },
      },
    },
    required: true,
  },
  operation: /* GraphQL */ `
    mutation RevokeSsoOidcTokenByValue($clientId: String!, $token: String!, $type: String!) {
      revokeSsoOidcTokenByValue(clientId: $clientId, token: $token, tokenType: $type)
    }`,
  variables: ({ body }) => ({ clientId: body.client_id, token: body.token, type: body.token_type }),
  status: 204,
  errorStatuses: [400, 401, 404],
});
