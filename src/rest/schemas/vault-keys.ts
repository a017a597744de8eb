// JSON Schemas of the Secrets Vault wire: brute-force blocks, sessions and per-user API keys.
import type { JsonSchema, ParameterDeclaration } from '../route.ts';
import { stringPath } from '../parameters.ts';
import { SCOPES } from '../../domain/auth/scopes.ts';

const bool = { type: 'boolean' };

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
    created_at: accessPointSchema, name: { type: 'string' }, scopes: { type: 'array', items: { type: 'string', enum: SCOPES } },
    last_use_at: { anyOf: [accessPointSchema, { type: 'null' }] }, is_active: bool, username: nullableStr,
    api_key: { type: 'string', description: 'Only in the answer to create and regenerate.' },
  },
};

const keyName = { type: 'string', minLength: 1, maxLength: 128, pattern: '\\S', description: 'Not blank' };

export const createUserKeyBody: JsonSchema = {
  type: 'object',
  required: ['name', 'scopes', 'tenant_id'],
  properties: {
    name: keyName,
    scopes: {
      type: 'array', items: { type: 'string', enum: SCOPES }, maxItems: 32,
      description: "A user's key may give only scopes it holds itself (else 403)",
    },
    tenant_id: { type: 'string', minLength: 1, maxLength: 128 },
    user_id: {
      type: 'string', maxLength: 64,
      description: 'Required with an organization key: the user the key is for. With a user\'s key: left out, or that user.',
    },
  },
};

export const updateUserKeyBody: JsonSchema = {
  type: 'object',
  properties: { name: keyName, is_active: bool },
};

export const keyIdPath = stringPath('key_id', 64);
