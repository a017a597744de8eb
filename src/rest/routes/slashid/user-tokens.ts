// SlashID user tokens and minted OAuth tokens (endpoint table 1, rows 1, 2, 12, 13, 128).
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { personIdPath, sdkVersionHeader, consistencyHeaders } from '../../schemas/slashid.ts';
import type { JsonSchema } from '../../route.ts';
import { MAX_DIRECT_ID_SECONDS } from '../../../domain/oauth/user-tokens.service.ts';
import { withoutNulls } from './declaration-pieces.ts';

const tokenReq: JsonSchema = { type: 'object', required: ['token'], properties: { token: { type: 'string', minLength: 1, maxLength: 16384 } } };
const customClaims = {
  type: 'object', maxProperties: 100,
  description: 'At most 16 KiB as JSON. Registered and SlashID claim names (aud, exp, sub, groups, roles, …) and the '
    + 'organization\'s groups claim cannot be set',
};

export const validateToken = defineRoute(slashid, {
  auth: 'slashid_api_key',
  method: 'POST', path: '/token/validate', summary: 'Validate a user token',
  parameters: [sdkVersionHeader],
  body: { schema: tokenReq, required: true },
  operation: /* GraphQL */ `
    query ValidateToken($token: String!) {
      userTokenValidation(token: $token) {
        valid invalidity_reason: invalidityReason expires_in_seconds: expiresInSeconds expires_at: expiresAt
      }
    }`,
  variables: ({ body }) => ({ token: body.token }),
  respond: (data) => ({ body: withoutNulls(data.userTokenValidation) }),
  status: 200,
  responseSchema: {
    type: 'object', required: ['valid'],
    properties: {
      valid: { type: 'boolean' },
      invalidity_reason: { type: 'string', enum: ['invalid_token_content', 'expired', 'invalid_issuer', 'not_enough_factors', 'person_not_active'] },
      expires_in_seconds: { type: 'integer' }, expires_at: { type: 'string', format: 'date-time' },
    },
  },
});

export const revokeToken = defineRoute(slashid, {
  auth: 'slashid_api_key',
  method: 'POST', path: '/token/revoke', summary: 'Revoke a user token',
  parameters: [sdkVersionHeader, ...consistencyHeaders],
  body: { schema: tokenReq, required: true },
  operation: /* GraphQL */ `mutation RevokeToken($token: String!) { revokeUserToken(token: $token) }`,
  variables: ({ body }) => ({ token: body.token }),
  status: 204,
});

export const mintToken = defineRoute(slashid, {
  method: 'POST', path: '/persons/{person_id}/mint-token', summary: 'Mint a token for a person',
  parameters: [personIdPath],
  body: { schema: { type: 'object', properties: { custom_claims: customClaims } } },
  operation: /* GraphQL */ `
    mutation MintToken($personId: ID!, $claims: JSONObject) { mintUserToken(personId: $personId, customClaims: $claims) }`,
  variables: ({ path, body }) => ({ personId: path.person_id, claims: body?.custom_claims ?? null }),
  respond: (data) => ({ body: data.mintUserToken }),
  responseSchema: { type: 'string' },
});

export const directId = defineRoute(slashid, {
  method: 'POST', path: '/persons/{person_id}/direct-id', summary: 'Get Direct-ID value for a person',
  parameters: [personIdPath],
  body: { schema: { type: 'object', required: ['duration_secs'], properties: { duration_secs: { type: 'integer', minimum: 1, maximum: MAX_DIRECT_ID_SECONDS } } }, required: true },
  operation: /* GraphQL */ `
    mutation DirectId($personId: ID!, $duration: Int!) { createDirectId(personId: $personId, durationSeconds: $duration) }`,
  variables: ({ path, body }) => ({ personId: path.person_id, duration: body.duration_secs }),
  respond: (data) => ({ body: data.createDirectId }),
  responseSchema: { type: 'string' },
});

export const mintOAuthTokens = defineRoute(slashid, {
  method: 'POST', path: '/oauth2/tokens/mint', summary: 'Mint OAuth 2.0 & OIDC tokens',
  body: {
    schema: {
      type: 'object', required: ['person_id', 'client_id'],
      properties: {
        person_id: { type: 'string', minLength: 1, maxLength: 128 }, client_id: { type: 'string', minLength: 1, maxLength: 128 },
        scopes: {
          type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, maxItems: 64,
          description: 'Scopes the client lists, besides openid and offline_access',
        },
        custom_claims: customClaims,
      },
    },
    required: true,
  },
  operation: /* GraphQL */ `
    mutation MintOAuthTokens($input: MintOAuthTokensInput!) {
      mintOAuthTokens(input: $input) { access_token: accessToken id_token: idToken refresh_token: refreshToken }
    }`,
  variables: ({ body }) => ({
    input: { personId: body.person_id, clientId: body.client_id, scopes: body.scopes, customClaims: body.custom_claims },
  }),
  respond: (data) => ({ body: withoutNulls(data.mintOAuthTokens) }),
  status: 200,
  responseSchema: {
    type: 'object', required: ['access_token'],
    properties: { access_token: { type: 'string' }, id_token: { type: 'string' }, refresh_token: { type: 'string' } },
  },
  errorStatuses: [400, 401, 404],
});
