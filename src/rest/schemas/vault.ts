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
