// Secrets Vault /auth/* (endpoint table 2, rows 1–3, 9, 10): the zero-knowledge secret login
// (docs/zkp.md) and password reset by code. No credentials: the tenant comes from the pending
// authorize request `auth_req_id` names, else from `tenant_id`.
import { defineRoute, type AuthScheme, type ParameterDeclaration, type RouteInput } from '../../route.ts';
import { vault } from '../../dialects/vault.ts';
import {
  authReqIdQuery, authenticateBody, clientIdQuery, challengeRequest, challengeResponse, loginResult, registerBody,
  resetBody, resetRequestBody, tenantIdQuery, changePasswordBody,
} from '../../schemas/vault.ts';

const json = (value: unknown) => (value === undefined || value === null ? undefined : JSON.stringify(value));

/** A step of a login: no credentials; the tenant is the one of `auth_req_id`, else `tenant_id`. */
const loginStep: { auth: AuthScheme; parameters: ParameterDeclaration[] } = { auth: 'none', parameters: [tenantIdQuery, authReqIdQuery] };
const loginTarget = (query: RouteInput['query']) => ({ tenantId: query.tenant_id, authReqId: query.auth_req_id });

/** A new secret's public commitment (docs/zkp.md), with what the client reported. */
const commitmentOf = (body: RouteInput['body']) =>
  ({ encryptedCommitment: body.encrypted_commitment, protoVersion: body.proto_version, logData: json(body.log_data) });

export const register = defineRoute(vault, {
  ...loginStep,
  method: 'POST', path: '/auth/register', operationId: 'register', summary: 'Register',
  body: { schema: registerBody },
  operation: /* GraphQL */ `
    mutation Register($tenantId: String, $authReqId: String, $input: ZkpRegisterInput!) {
      zkpRegister(tenantId: $tenantId, authReqId: $authReqId, input: $input)
    }`,
  variables: ({ query, body }) => ({
    ...loginTarget(query), input: { username: body.username, email: body.email, ...commitmentOf(body) },
  }),
  errorStatuses: [403, 404, 409, 422],
});

export const challenge = defineRoute(vault, {
  ...loginStep,
  method: 'POST', path: '/auth/challenge', operationId: 'get_challenge', summary: 'Get Challenge',
  body: { schema: challengeRequest },
  operation: /* GraphQL */ `
    mutation Challenge($tenantId: String, $authReqId: String, $input: ZkpChallengeInput!) {
      zkpChallenge(tenantId: $tenantId, authReqId: $authReqId, input: $input) {
        challenge_id: challengeId challenge_data: challengeData expires_at: expiresAt proto_version: protoVersion
      }
    }`,
  variables: ({ query, body }) => ({
    ...loginTarget(query), input: { username: body.username, cipherKey: body.cipherKey },
  }),
  respond: (data) => ({ body: data.zkpChallenge, headers: { 'Cache-Control': 'no-store' } }),
  status: 200,
  responseSchema: challengeResponse,
  errorStatuses: [404, 422, 429],
});

export const authenticate = defineRoute(vault, {
  ...loginStep,
  method: 'POST', path: '/auth/authenticate', operationId: 'authenticate', summary: 'Authenticate',
  body: { schema: authenticateBody },
  operation: /* GraphQL */ `
    mutation Authenticate($tenantId: String, $authReqId: String, $input: ZkpAuthenticateInput!) {
      zkpAuthenticate(tenantId: $tenantId, authReqId: $authReqId, input: $input) { nonce need_verify: needVerify }
    }`,
  variables: ({ query, body }) => ({
    ...loginTarget(query),
    input: {
      username: body.username, cipherKey: body.cipherKey, challengeId: body.challenge_id,
      challengeData: body.challenge_data, ber: json(body.ber), logData: json(body.log_data),
    },
  }),
  respond: (data) => ({ body: data.zkpAuthenticate, headers: { 'Cache-Control': 'no-store' } }),
  status: 200,
  responseSchema: loginResult,
  errorStatuses: [401, 404, 422, 429],
});

export const requestPasswordReset = defineRoute(vault, {
  auth: 'none',
  method: 'POST', path: '/auth/password/reset-request', operationId: 'request_reset_password',
  summary: 'Request Reset Password',
  parameters: [clientIdQuery, tenantIdQuery, authReqIdQuery],
  body: { schema: resetRequestBody },
  operation: /* GraphQL */ `
    mutation RequestReset($tenantId: String, $authReqId: String, $clientId: String, $input: PasswordResetRequestInput!) {
      requestSecretReset(tenantId: $tenantId, authReqId: $authReqId, clientId: $clientId, input: $input)
    }`,
  variables: ({ query, body }) => ({
    ...loginTarget(query), clientId: query.client_id,
    input: { username: body.username, email: body.email },
  }),
  status: 200,
  errorStatuses: [404, 422],
});

export const resetPassword = defineRoute(vault, {
  ...loginStep,
  method: 'POST', path: '/auth/password/reset', operationId: 'reset_password_code', summary: 'Reset Password Code',
  body: { schema: resetBody },
  operation: /* GraphQL */ `
    mutation ResetPassword($tenantId: String, $authReqId: String, $input: PasswordResetInput!) {
      resetSecret(tenantId: $tenantId, authReqId: $authReqId, input: $input)
    }`,
  variables: ({ query, body }) => ({
    ...loginTarget(query), input: { code: body.code, username: body.username, ...commitmentOf(body) },
  }),
  status: 200,
  errorStatuses: [400, 404, 422],
});

export const changePassword = defineRoute(vault, {
  method: 'POST', path: '/auth/password/change', operationId: 'change_password', summary: 'Change Password',
  body: { schema: changePasswordBody },
  operation: /* GraphQL */ `
    mutation ChangePassword($input: PasswordChangeInput!) { changeMySecret(input: $input) }`,
  variables: ({ body }) => ({ input: commitmentOf(body) }),
  status: 200,
  errorStatuses: [401, 403, 422],
});
