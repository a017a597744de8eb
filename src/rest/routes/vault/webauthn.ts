// Secrets Vault passkeys (endpoint table 2, rows 26, 27, 55–57, and the implied
// POST /webauthn/register/options and DELETE /user/me/passkeys/{key_id}): a user registers and
// manages their own (API key or access token with the passkeys:* scopes); signing in needs no
// credentials and names its tenant like /auth/* (auth_req_id, else tenant_id), answering a login
// ticket {nonce, need_verify} as /auth/authenticate does.
import { defineRoute, type JsonSchema, type RouteInput } from '../../route.ts';
import { vault } from '../../dialects/vault.ts';
import { stringPath } from '../../parameters.ts';
import { loginStep, loginTicket, uncached } from './login-steps.ts';
import { MAX_PASSKEY_NAME } from '../../../domain/webauthn/passkey.ts';
import { ValidationFailed } from '../../../domain/errors.ts';

const b64url = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$' });
const attachment: JsonSchema = { anyOf: [{ type: 'string', enum: ['platform', 'cross-platform'] }, { type: 'null' }] };
const name: JsonSchema = { type: 'string', minLength: 1, maxLength: MAX_PASSKEY_NAME };
const optionalString = (maxLength: number): JsonSchema => ({ anyOf: [{ type: 'string', maxLength }, { type: 'null' }] });

const registerVerifyBody: JsonSchema = {
  type: 'object',
  required: ['id', 'raw_id', 'client_data_json', 'attestation_object'],
  properties: {
    id: b64url(1024), raw_id: b64url(1024), client_data_json: b64url(8192), attestation_object: b64url(16384),
    transports: { anyOf: [{ type: 'array', maxItems: 8, items: { type: 'string', enum: ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] } }, { type: 'null' }] },
    authenticator_attachment: attachment,
    name: { anyOf: [name, { type: 'null' }] },
  },
};

const authOptionsBody: JsonSchema = {
  type: 'object',
  description: 'username (an email address, phone number or username) lists that person\'s passkeys; empty or absent asks for a discoverable credential (usernameless).',
  properties: { username: optionalString(320), tenant_id: optionalString(128) },
};

const authVerifyBody: JsonSchema = {
  type: 'object',
  required: ['id', 'raw_id', 'client_data_json', 'authenticator_data', 'signature'],
  properties: {
    id: b64url(1024), raw_id: b64url(1024), client_data_json: b64url(8192), authenticator_data: b64url(4096),
    signature: b64url(1024), user_handle: { anyOf: [{ type: 'string', maxLength: 512 }, { type: 'null' }] },
    authenticator_attachment: attachment, username: optionalString(320), tenant_id: optionalString(128),
  },
};

const accessPoint: JsonSchema = {
  type: 'object',
  properties: { date: { type: 'string' }, ip: { type: ['string', 'null'] }, country: { type: ['string', 'null'] }, user_agent: { type: ['string', 'null'] } },
};
const passkeySchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, created_at: { type: 'string' }, name: { type: ['string', 'null'] },
    last_use: { anyOf: [accessPoint, { type: 'null' }] }, transports: { type: 'array', items: { type: 'string' } },
    backed_up: { type: 'boolean' }, device_type: { type: ['string', 'null'] },
  },
};
const keyIdPath = stringPath('key_id', 64, 'The passkey\'s id (from GET /user/me/passkeys).');

/** The tenant of a sign-in step: query and body may both name it, then alike. */
function tenantOf({ query, body }: Pick<RouteInput, 'query' | 'body'>) {
  if (query.tenant_id != null && body.tenant_id != null && query.tenant_id !== body.tenant_id) {
    throw new ValidationFailed('tenant_id differs between the query and the body', [
      { loc: ['body', 'tenant_id'], msg: 'must equal the query\'s tenant_id, or be left out', type: 'value_error' }]);
  }
  return { tenantId: query.tenant_id ?? body.tenant_id ?? null, authReqId: query.auth_req_id ?? null };
}

export const passkeyRegistrationOptions = defineRoute(vault, {
  method: 'POST', path: '/webauthn/register/options', operationId: 'webauthn_register_options',
  summary: 'Registration Options (proposed): PublicKeyCredentialCreationOptions for the caller',
  operation: /* GraphQL */ `mutation PasskeyRegistrationOptions { passkeyRegistrationOptions }`,
  respond: uncached,
  status: 200,
  responseSchema: { type: 'object', description: 'PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3)' },
  errorStatuses: [401, 403],
});

export const passkeyRegistrationVerify = defineRoute(vault, {
  method: 'POST', path: '/webauthn/register/verify', operationId: 'webauthn_register_verify', summary: 'Verify Registration',
  body: { schema: registerVerifyBody },
  operation: /* GraphQL */ `mutation PasskeyRegistrationVerify($input: PasskeyRegistrationInput!) { registerPasskey(input: $input) { id } }`,
  variables: ({ body }) => ({
    input: {
      id: body.id, rawId: body.raw_id, clientDataJson: body.client_data_json, attestationObject: body.attestation_object,
      transports: body.transports, authenticatorAttachment: body.authenticator_attachment, name: body.name,
    },
  }),
  status: 200,
  errorStatuses: [400, 401, 403, 409, 422],
});

export const passkeyAuthenticationOptions = defineRoute(vault, {
  ...loginStep,
  method: 'POST', path: '/webauthn/authenticate/options', operationId: 'webauthn_auth_options', summary: 'Auth Options',
  body: { schema: authOptionsBody },
  operation: /* GraphQL */ `
    mutation PasskeyAuthenticationOptions($tenantId: String, $authReqId: String, $identifier: String) {
      passkeyAuthenticationOptions(tenantId: $tenantId, authReqId: $authReqId, identifier: $identifier)
    }`,
  variables: ({ query, body }) => ({ ...tenantOf({ query, body }), identifier: body.username ?? null }),
  respond: uncached,
  status: 200,
  responseSchema: { type: 'object', description: 'PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3)' },
  errorStatuses: [403, 404, 422, 429],
});

export const passkeyAuthenticationVerify = defineRoute(vault, {
  ...loginStep,
  method: 'POST', path: '/webauthn/authenticate/verify', operationId: 'webauthn_auth_verify', summary: 'Verify Auth',
  body: { schema: authVerifyBody },
  operation: /* GraphQL */ `
    mutation PasskeyAuthenticationVerify($tenantId: String, $authReqId: String, $input: PasskeyAssertionInput!) {
      authenticateWithPasskey(tenantId: $tenantId, authReqId: $authReqId, input: $input) { nonce need_verify: needVerify }
    }`,
  variables: ({ query, body }) => ({
    ...tenantOf({ query, body }),
    input: {
      id: body.id, rawId: body.raw_id, clientDataJson: body.client_data_json, authenticatorData: body.authenticator_data,
      signature: body.signature, userHandle: body.user_handle, authenticatorAttachment: body.authenticator_attachment,
    },
  }),
  ...loginTicket,
  errorStatuses: [401, 403, 404, 422],
});

export const myPasskeys = defineRoute(vault, {
  method: 'GET', path: '/user/me/passkeys', operationId: 'list_my_passkeys', summary: 'List my passkeys',
  operation: /* GraphQL */ `
    query MyPasskeys {
      me {
        passkeys {
          id created_at: createdAt name last_use: lastUse { at ip country user_agent: userAgent }
          transports backed_up: backedUp device_type: deviceType
        }
      }
    }`,
  respond: ({ me }) => ({
    body: { passkeys: me.passkeys.map(({ last_use, ...rest }) => ({ ...rest, last_use: last_use && { date: last_use.at, ip: last_use.ip, country: last_use.country, user_agent: last_use.user_agent } })) },
  }),
  responseSchema: { type: 'object', properties: { passkeys: { type: 'array', items: passkeySchema } } },
  errorStatuses: [401, 403],
});

export const renameMyPasskey = defineRoute(vault, {
  method: 'PATCH', path: '/user/me/passkeys/{key_id}', operationId: 'update_passkey', summary: 'Update Passkey',
  parameters: [keyIdPath],
  body: { schema: { type: 'object', required: ['name'], properties: { name } } },
  operation: /* GraphQL */ `mutation RenameMyPasskey($id: ID!, $name: String!) { renameMyPasskey(id: $id, name: $name) }`,
  variables: ({ path, body }) => ({ id: path.key_id, name: body.name }),
  errorStatuses: [401, 403, 404, 422],
});

export const deleteMyPasskey = defineRoute(vault, {
  method: 'DELETE', path: '/user/me/passkeys/{key_id}', operationId: 'delete_passkey', summary: 'Delete a passkey (proposed)',
  parameters: [keyIdPath],
  operation: /* GraphQL */ `mutation DeleteMyPasskey($id: ID!) { deleteMyPasskey(id: $id) }`,
  variables: ({ path }) => ({ id: path.key_id }),
  errorStatuses: [401, 403, 404, 422],
});
