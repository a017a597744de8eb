// JSON Schemas and name tables of the Secrets Vault wire (seed 002); blocks, sessions and keys
// are in vault-keys.ts.
import type { JsonSchema, ParameterDeclaration, RouteInput } from '../route.ts';
import { stringPath } from '../parameters.ts';
import { camelCased, type WireField } from '../wire-mapping.ts';
import { LOGIN_METHODS, TENANT_SETTING_RANGES } from '../../domain/organization/tenant-settings.ts';
import { TENANT_ID } from '../../domain/organization/organization.service.ts';
import { NAME_PATTERNS } from '../../domain/access/names.ts';
import { UUID_PATTERN } from '../../domain/ids.ts';
import { HANDLE_RULES } from '../../domain/person/handles.ts';
import { MAX_LOCALE, MAX_TEXT } from '../../domain/person/person.service.ts';
import { MAX_CLIENT_DATA } from '../../domain/login/zkp-login.service.ts';
import { ENVELOPE_BYTES, PROTO_VERSION } from '../../zkp/protocol.ts';

const bool = { type: 'boolean' };
const int = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };

export const blockConfigFields: WireField[] = camelCased(
  'ip_attempts_limit', 'ip_attempts_reset_minutes', 'user_attempts_limit', 'user_timeframe_seconds',
  'initial_block_seconds', 'max_block_time_minutes',
);

export const livenessConfigFields: WireField[] = camelCased(
  'number_steps_min', 'number_steps_max', 'duration_in_seconds', 'number_of_allowed_failures', 'gesture_set',
  'number_blinks_max', 'number_blinks_min',
);

export const tenantSettingsFields: WireField[] = [
  ...camelCased('register_enable', 'is_2fa', 'use_pin', 'pin_size', 'use_pattern'),
  { wire: 'patter_size', graph: 'patternSize' },
  ...camelCased('use_face_recognition', 'use_liveness', 'display_name', 'show_pin_when_typing'),
  { wire: 'block_config', graph: 'blockConfig', fields: blockConfigFields },
  ...camelCased('login_order', 'passkey_enabled', 'has_username_and_email'),
  { wire: 'liveness_config', graph: 'livenessConfig', fields: livenessConfigFields },
];

/** A numeric setting: the range tenant-settings.ts keeps, else any 32-bit integer. */
const setting = (graph: string, description?: string): JsonSchema => {
  const range = TENANT_SETTING_RANGES[graph];
  return { ...(range ? { type: 'integer', minimum: range[0], maximum: range[1] } : int), ...(description ? { description } : {}) };
};

const blockConfig: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(blockConfigFields.map((f) => [f.wire, setting(f.graph)])),
};
const livenessConfig: JsonSchema = {
  type: 'object',
  description: 'number_steps_min must not exceed number_steps_max, counting the stored values of fields left out.',
  properties: {
    ...Object.fromEntries(livenessConfigFields.filter((f) => f.wire !== 'gesture_set').map((f) => [f.wire, setting(f.graph)])),
    gesture_set: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 64 },
  },
};
const loginOrder: JsonSchema = {
  type: 'array', items: { type: 'string', enum: LOGIN_METHODS }, maxItems: LOGIN_METHODS.length, uniqueItems: true,
  description: 'The login methods the hosted page offers, in this order (each only while its use_ switch is on).',
};

const settingsProperties: Record<string, JsonSchema> = {
  register_enable: bool, is_2fa: bool, use_pin: bool, pin_size: setting('pinSize', 'Digits of the PIN'),
  use_pattern: bool, patter_size: setting('patternSize', 'The pattern grid is patter_size × patter_size dots'),
  use_face_recognition: bool, use_liveness: bool, display_name: { type: 'string', maxLength: 255 },
  show_pin_when_typing: bool, passkey_enabled: bool, has_username_and_email: bool,
};

export const tenant: JsonSchema = {
  type: 'object',
  required: ['tenant_id'],
  properties: {
    tenant_id: { type: 'string', minLength: 1, maxLength: 128, pattern: TENANT_ID.source },
    ...settingsProperties,
    block_config: blockConfig,
    login_order: loginOrder,
    liveness_config: { anyOf: [livenessConfig, { type: 'null' }] },
  },
};

const orDefault = (schema: JsonSchema, what: string) => ({ anyOf: [schema, { type: 'null' }], description: `null restores ${what}` });
export const tenantUpdate: JsonSchema = {
  type: 'object',
  required: ['display_name'],
  properties: {
    ...settingsProperties,
    block_config: orDefault(blockConfig, 'the default block configuration'),
    login_order: orDefault(loginOrder, 'the default, ["PIN"]'),
    liveness_config: orDefault(livenessConfig, 'the default liveness configuration'),
  },
};

const nullableString = (max: number) => ({ anyOf: [{ type: 'string', maxLength: max }, { type: 'null' }] });
const username = { type: 'string', minLength: 1, maxLength: HANDLE_RULES.username.max, pattern: HANDLE_RULES.username.pattern.source };
const email = { type: 'string', format: 'email', maxLength: 320 };
const roleNames = {
  anyOf: [{ type: 'array', items: { type: 'string', maxLength: 100, pattern: NAME_PATTERNS.role }, maxItems: 100 }, { type: 'null' }],
  description: 'Names of existing roles of the tenant',
};

const userProperties = {
  username, email,
  is_disabled: bool,
  is_verified: bool,
  created_at: { type: 'string', maxLength: 64 },
  updated_at: nullableString(64),
  locale: nullableString(MAX_LOCALE),
  roles: roleNames,
  external_id: nullableString(MAX_TEXT),
};

/** The body of a create (and of each batch item). */
export const user: JsonSchema = {
  type: 'object',
  required: ['username', 'email'],
  properties: {
    user_id: { type: 'string', maxLength: 64, pattern: UUID_PATTERN, description: 'A UUID; chosen by the server when left out' },
    ...userProperties,
    tenant_id: { type: 'string', maxLength: 128, description: 'Must equal the tenant_id of the path' },
  },
};

export const userUpdate: JsonSchema = {
  type: 'object',
  required: ['user_id', 'username', 'email', 'tenant_id'],
  properties: {
    user_id: { type: 'string', maxLength: 64, description: 'Must equal the user_id of the path' },
    ...userProperties,
    tenant_id: { type: 'string', maxLength: 128, description: 'Must equal the tenant_id of the path' },
  },
};

const handleOrNull = (description: string) => ({ anyOf: [{ type: 'string', maxLength: 320 }, { type: 'null' }], description });

/** A user as answered: a person made through the SlashID API may lack a username or an email handle. */
export const userRet: JsonSchema = {
  type: 'object',
  required: ['user_id', 'username', 'email', 'tenant_id'],
  properties: {
    user_id: { type: 'string' },
    username: handleOrNull('The first username handle; null when the user has none'),
    email: handleOrNull('The first email address handle; null when the user has none'),
    tenant_id: { type: 'string' },
    is_disabled: bool, is_verified: bool, created_at: { type: 'string' },
    updated_at: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    locale: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    roles: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] },
    external_id: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  },
};

export const tenantIdPath = stringPath('tenant_id', 128);
export const userIdPath = stringPath('user_id', 64);
/** The variables naming what a `/tenants/{tenant_id}[/users/{user_id}]` path names. */
export const tenantOf = ({ path }: RouteInput) => ({ tenantId: path.tenant_id });
export const tenantUserOf = ({ path }: RouteInput) => ({ tenantId: path.tenant_id, id: path.user_id });

/** A required id in the query (`tenant_id`, `client_id`): 1–128 characters. */
const requiredIdQuery = (name: string): ParameterDeclaration =>
  ({ name, in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 } });
export const requiredTenantIdQuery = requiredIdQuery('tenant_id');
export const clientIdQuery = requiredIdQuery('client_id');

// ---- /auth/* (zero-knowledge secret login, docs/zkp.md) ----

const encryptedCommitment = {
  type: 'string', minLength: 1, maxLength: 200,
  description: `base64url of the ${ENVELOPE_BYTES}-byte envelope of proto_version ${PROTO_VERSION} (docs/zkp.md)`,
};
const protoVersion = { type: 'integer', enum: [PROTO_VERSION], description: 'The only protocol version served' };
const clientReport = (schema: JsonSchema) =>
  ({ anyOf: [schema, { type: 'null' }], description: `At most ${MAX_CLIENT_DATA} characters as JSON` });
const logData = clientReport({ type: 'object', maxProperties: 64 });
const cipherKey = { type: 'string', minLength: 1, maxLength: 128 };

export const tenantIdQuery: ParameterDeclaration = {
  name: 'tenant_id', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 128 },
  description: 'The tenant of the login. Optional with auth_req_id (which gives the tenant); when both are sent they must agree (else 422).',
};
export const authReqIdQuery: ParameterDeclaration = {
  name: 'auth_req_id', in: 'query', schema: { type: 'string', maxLength: 128 },
  description: 'The pending OIDC authorize request of this login: it gives the tenant, and a login ticket answered for it completes that request only (docs/zkp.md).',
};

export const registerBody: JsonSchema = {
  type: 'object',
  required: ['username', 'email', 'encrypted_commitment', 'proto_version'],
  properties: { username, email, encrypted_commitment: encryptedCommitment, proto_version: protoVersion, log_data: logData },
};

export const challengeRequest: JsonSchema = {
  type: 'object', required: ['username', 'cipherKey'], properties: { username, cipherKey },
};

export const challengeResponse: JsonSchema = {
  type: 'object',
  properties: {
    challenge_id: { type: 'string' }, challenge_data: { type: 'string' },
    expires_at: { type: 'string', format: 'date-time' }, proto_version: { type: 'integer' },
  },
};

const berReport = clientReport({
    type: 'object',
    properties: {
      ber: {
        type: 'object',
        properties: { count_bits: { type: 'integer' }, error_bits: { type: 'integer' }, BER_PERCENT: { type: 'number' } },
      },
      image_dim: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
      algorithm_version: { type: 'string', maxLength: 64 },
    },
    maxProperties: 16,
  });

export const authenticateBody: JsonSchema = {
  type: 'object',
  required: ['username', 'cipherKey', 'challenge_id', 'challenge_data'],
  properties: {
    username, cipherKey,
    challenge_id: { type: 'string', minLength: 1, maxLength: 64 },
    challenge_data: { type: 'string', minLength: 1, maxLength: 256 },
    ber: berReport,
    log_data: logData,
  },
};

export const loginResult: JsonSchema = {
  type: 'object', properties: { nonce: { type: 'string' }, need_verify: { type: 'boolean' } },
};

export const resetRequestBody: JsonSchema = {
  type: 'object', required: ['username', 'email'], properties: { username, email },
};

export const resetBody: JsonSchema = {
  type: 'object',
  required: ['code', 'username', 'encrypted_commitment', 'proto_version'],
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 256 }, username,
    encrypted_commitment: encryptedCommitment, proto_version: protoVersion, log_data: logData,
  },
};

export const changePasswordBody: JsonSchema = {
  type: 'object',
  required: ['encrypted_commitment', 'proto_version'],
  properties: { encrypted_commitment: encryptedCommitment, proto_version: protoVersion, log_data: logData },
};

export * from './vault-keys.ts';
