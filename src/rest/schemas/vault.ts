// JSON Schemas and name tables of the Secrets Vault wire (seed 002).
import type { JsonSchema, ParameterDeclaration } from '../route.ts';
import type { WireField } from '../wire-mapping.ts';

const bool = { type: 'boolean' };
const int = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };

export const blockConfigFields: WireField[] = [
  { wire: 'ip_attempts_limit', graph: 'ipAttemptsLimit' },
  { wire: 'ip_attempts_reset_minutes', graph: 'ipAttemptsResetMinutes' },
  { wire: 'user_attempts_limit', graph: 'userAttemptsLimit' },
  { wire: 'user_timeframe_seconds', graph: 'userTimeframeSeconds' },
  { wire: 'initial_block_seconds', graph: 'initialBlockSeconds' },
  { wire: 'max_block_time_minutes', graph: 'maxBlockTimeMinutes' },
];

export const livenessConfigFields: WireField[] = [
  { wire: 'number_steps_min', graph: 'numberStepsMin' },
  { wire: 'number_steps_max', graph: 'numberStepsMax' },
  { wire: 'duration_in_seconds', graph: 'durationInSeconds' },
  { wire: 'number_of_allowed_failures', graph: 'numberOfAllowedFailures' },
  { wire: 'gesture_set', graph: 'gestureSet' },
  { wire: 'number_blinks_max', graph: 'numberBlinksMax' },
  { wire: 'number_blinks_min', graph: 'numberBlinksMin' },
];

export const tenantSettingsFields: WireField[] = [
  { wire: 'register_enable', graph: 'registerEnable' },
  { wire: 'is_2fa', graph: 'is2fa' },
  { wire: 'use_pin', graph: 'usePin' },
  { wire: 'pin_size', graph: 'pinSize' },
  { wire: 'use_pattern', graph: 'usePattern' },
  { wire: 'patter_size', graph: 'patternSize' },
  { wire: 'use_face_recognition', graph: 'useFaceRecognition' },
  { wire: 'use_liveness', graph: 'useLiveness' },
  { wire: 'display_name', graph: 'displayName' },
  { wire: 'show_pin_when_typing', graph: 'showPinWhenTyping' },
  { wire: 'block_config', graph: 'blockConfig', fields: blockConfigFields },
  { wire: 'login_order', graph: 'loginOrder' },
  { wire: 'passkey_enabled', graph: 'passkeyEnabled' },
  { wire: 'has_username_and_email', graph: 'hasUsernameAndEmail' },
  { wire: 'liveness_config', graph: 'livenessConfig', fields: livenessConfigFields },
];

const blockConfig: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(blockConfigFields.map((f) => [f.wire, int])),
};
const livenessConfig: JsonSchema = {
  type: 'object',
  properties: {
    ...Object.fromEntries(livenessConfigFields.filter((f) => f.wire !== 'gesture_set').map((f) => [f.wire, int])),
    gesture_set: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 64 },
  },
};

const settingsProperties: Record<string, JsonSchema> = {
  register_enable: bool, is_2fa: bool, use_pin: bool, pin_size: int, use_pattern: bool, patter_size: int,
  use_face_recognition: bool, use_liveness: bool, display_name: { type: 'string', maxLength: 255 },
  show_pin_when_typing: bool, passkey_enabled: bool, has_username_and_email: bool,
};

export const tenant: JsonSchema = {
  type: 'object',
  required: ['tenant_id'],
  properties: {
    tenant_id: { type: 'string', minLength: 1, maxLength: 128 },
    ...settingsProperties,
    block_config: blockConfig,
    login_order: { type: 'array', items: { type: 'string', enum: ['PIN', 'PATTERN'] }, maxItems: 2 },
    liveness_config: { anyOf: [livenessConfig, { type: 'null' }] },
  },
};

export const tenantUpdate: JsonSchema = {
  type: 'object',
  required: ['display_name'],
  properties: {
    ...settingsProperties,
    block_config: { anyOf: [blockConfig, { type: 'null' }] },
    login_order: { anyOf: [{ type: 'array', items: { type: 'string', enum: ['PIN', 'PATTERN'] }, maxItems: 2 }, { type: 'null' }] },
    liveness_config: { anyOf: [livenessConfig, { type: 'null' }] },
  },
};

const nullableString = (max: number) => ({ anyOf: [{ type: 'string', maxLength: max }, { type: 'null' }] });

export const user: JsonSchema = {
  type: 'object',
  required: ['username', 'email'],
  properties: {
    user_id: { type: 'string', maxLength: 64 },
    username: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[a-zA-Z0-9_.@-]+$' },
    email: { type: 'string', format: 'email', maxLength: 320 },
    tenant_id: { type: 'string', maxLength: 128 },
    is_disabled: bool,
    is_verified: bool,
    created_at: { type: 'string', maxLength: 64 },
    updated_at: nullableString(64),
    locale: nullableString(35),
    roles: { anyOf: [{ type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 100 }, { type: 'null' }] },
    external_id: nullableString(255),
  },
};

export const userUpdate: JsonSchema = { ...user, required: ['user_id', 'username', 'email', 'tenant_id'] };

export const tenantIdPath: ParameterDeclaration = {
  name: 'tenant_id', in: 'path', required: true, schema: { type: 'string', maxLength: 128 },
};
export const userIdPath: ParameterDeclaration = {
  name: 'user_id', in: 'path', required: true, schema: { type: 'string', maxLength: 64 },
};

// ---- /auth/* (zero-knowledge secret login, docs/zkp.md) ----

const username = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[a-zA-Z0-9_.@-]+$' };
const email = { type: 'string', format: 'email', maxLength: 320 };
const encryptedCommitment = { type: 'string', minLength: 1, maxLength: 200 };
const protoVersion = { type: 'integer', minimum: 0, maximum: 1000 };
const logData = { anyOf: [{ type: 'object', maxProperties: 64 }, { type: 'null' }] };
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

const berReport = {
  anyOf: [{
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
  }, { type: 'null' }],
};

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

// ---- blocks, sessions, per-user API keys ----

export const blockPageQuery: ParameterDeclaration[] = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 } },
  { name: 'page_size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
  { name: 'sort_direction', in: 'query', schema: { type: 'integer', minimum: -1, maximum: 1, default: -1 } },
];

const nullableStr = { anyOf: [{ type: 'string' }, { type: 'null' }] };
export const accessPointSchema: JsonSchema = {
  type: 'object',
  properties: {
    at: { type: 'string', format: 'date-time' }, ip: nullableStr, country: nullableStr, user_agent: nullableStr,
    user_agent_parsed: {
      anyOf: [{
        type: 'object',
        properties: {
          browser: nullableStr, os: nullableStr, device: nullableStr,
          is_mobile: bool, is_tablet: bool, is_pc: bool, is_bot: bool,
        },
      }, { type: 'null' }],
    },
  },
};

export const userApiKeySchema: JsonSchema = {
  type: 'object',
  properties: {
    key_id: { type: 'string' }, key_hash: { type: 'string' }, user_id: { type: 'string' }, tenant_id: { type: 'string' },
    created_at: accessPointSchema, name: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } },
    last_use_at: { anyOf: [accessPointSchema, { type: 'null' }] }, is_active: bool, username: nullableStr,
    api_key: { type: 'string', description: 'Only in the answer to create and regenerate.' },
  },
};

export const createUserKeyBody: JsonSchema = {
  type: 'object',
  required: ['name', 'scopes', 'tenant_id'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128 },
    scopes: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 32 },
    tenant_id: { type: 'string', minLength: 1, maxLength: 128 },
    user_id: { type: 'string', maxLength: 64, description: 'With an organization key: the user the key is for.' },
  },
};

export const updateUserKeyBody: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, is_active: bool },
};

export const keyIdPath: ParameterDeclaration = {
  name: 'key_id', in: 'path', required: true, schema: { type: 'string', maxLength: 64 },
};
