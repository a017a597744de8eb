// Secrets Vault /auth/* (endpoint table 2, rows 1–3, 9, 10): the zero-knowledge secret login
// (docs/zkp.md) and password reset by code. No credentials: the tenant comes from the pending
// authorize request `auth_req_id` names, else from `tenant_id`.
import { defineRoute, type JsonSchema, type RouteInput } from '../../route.ts';
import { vault } from '../../dialects/vault.ts';
import {
  authReqIdQuery, authenticateBody, clientIdQuery, challengeRequest, challengeResponse, registerBody,
  resetBody, resetRequestBody, tenantIdQuery, changePasswordBody,
} from '../../schemas/vault.ts';
import { declareTable } from '../declaration-table.ts';
import { loginStep, loginTarget, loginTicket, uncached } from './login-steps.ts';

const json = (value: unknown) => (value === undefined || value === null ? undefined : JSON.stringify(value));

/** A new secret's public commitment (docs/zkp.md), with what the client reported. */
const commitmentOf = (body: RouteInput['body']) =>
  ({ encryptedCommitment: body.encrypted_commitment, protoVersion: body.proto_version, logData: json(body.log_data) });

/** A login step (POST, no credentials) whose operation takes the tenant and the `input` read from the body. */
const step = <Input>(path: string, operationId: string, summary: string, schema: JsonSchema, inputOf: (body: RouteInput['body']) => Input) => ({
  ...loginStep, method: 'POST' as const, path, operationId, summary, body: { schema },
  variables: ({ query, body }: RouteInput) => ({ ...loginTarget(query), input: inputOf(body) }),
});

export const { register, challenge, authenticate, requestPasswordReset, resetPassword } = declareTable(vault, {
  register: {
    ...step('/auth/register', 'register', 'Register', registerBody,
      (body) => ({ username: body.username, email: body.email, ...commitmentOf(body) })),
    errorStatuses: [403, 404, 409, 422],
  },
  challenge: {
    ...step('/auth/challenge', 'get_challenge', 'Get Challenge', challengeRequest, (body) => ({ username: body.username, cipherKey: body.cipherKey })),
    respond: uncached, status: 200, responseSchema: challengeResponse, errorStatuses: [404, 422, 429],
  },
  authenticate: {
    ...step('/auth/authenticate', 'authenticate', 'Authenticate', authenticateBody, (body) => ({
      username: body.username, cipherKey: body.cipherKey, challengeId: body.challenge_id,
      challengeData: body.challenge_data, ber: json(body.ber), logData: json(body.log_data),
    })),
    ...loginTicket, errorStatuses: [401, 404, 422, 429],
  },
  requestPasswordReset: {
    auth: 'none', method: 'POST', path: '/auth/password/reset-request', operationId: 'request_reset_password',
    summary: 'Request Reset Password',
    parameters: [clientIdQuery, tenantIdQuery, authReqIdQuery],
    body: { schema: resetRequestBody },
    variables: ({ query, body }: RouteInput) => ({
      ...loginTarget(query), clientId: query.client_id, input: { username: body.username, email: body.email },
    }),
    status: 200, errorStatuses: [404, 422],
  },
  resetPassword: {
    ...step('/auth/password/reset', 'reset_password_code', 'Reset Password Code', resetBody,
      (body) => ({ code: body.code, username: body.username, ...commitmentOf(body) })),
    status: 200, errorStatuses: [400, 404, 422],
  },
}, {
  register: /* GraphQL */ `
    mutation Register($tenantId: String, $authReqId: String, $input: ZkpRegisterInput!) {
      zkpRegister(tenantId: $tenantId, authReqId: $authReqId, input: $input)
    }`,
  challenge: /* GraphQL */ `
    mutation Challenge($tenantId: String, $authReqId: String, $input: ZkpChallengeInput!) {
      zkpChallenge(tenantId: $tenantId, authReqId: $authReqId, input: $input) {
        challenge_id: challengeId challenge_data: challengeData expires_at: expiresAt proto_version: protoVersion
      }
    }`,
  authenticate: /* GraphQL */ `
    mutation Authenticate($tenantId: String, $authReqId: String, $input: ZkpAuthenticateInput!) {
      zkpAuthenticate(tenantId: $tenantId, authReqId: $authReqId, input: $input) { nonce need_verify: needVerify }
    }`,
  requestPasswordReset: /* GraphQL */ `
    mutation RequestReset($tenantId: String, $authReqId: String, $clientId: String, $input: PasswordResetRequestInput!) {
      requestSecretReset(tenantId: $tenantId, authReqId: $authReqId, clientId: $clientId, input: $input)
    }`,
  resetPassword: /* GraphQL */ `
    mutation ResetPassword($tenantId: String, $authReqId: String, $input: PasswordResetInput!) {
      resetSecret(tenantId: $tenantId, authReqId: $authReqId, input: $input)
    }`,
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
