// Secrets Vault per-user API keys (endpoint table 2, rows 23–25, 33) and, proposed here,
// PATCH /api-keys/{key_id} to rename or deactivate one. `key_hash` carries a short fingerprint
// of the stored SHA-256, never the key; the clear `api_key` appears only on create/regenerate.
import { defineRoute } from '../../route.ts';
import { vault } from '../../dialects/vault.ts';
import { createUserKeyBody, keyIdPath, requiredTenantIdQuery, updateUserKeyBody, userApiKeySchema } from '../../schemas/vault.ts';
import type { KeyFragment } from '../../generated/operations.ts';
import { rootOf } from '../declaration-table.ts';
import { NO_STORE } from './login-steps.ts';

export const ACCESS = /* GraphQL */ `
  fragment Access on AccessPoint {
    at ip country user_agent: userAgent
    user_agent_parsed: userAgentParsed {
      browser os device is_mobile: isMobile is_tablet: isTablet is_pc: isPc is_bot: isBot
    }
  }`;

const KEY = /* GraphQL */ `
  fragment Key on UserApiKey {
    key_id: id key_hash: keyFingerprint person { id username } organization { tenantId }
    created_at: created { ...Access } name scopes last_use_at: lastUse { ...Access } is_active: isActive
  } ${ACCESS}`;

/** The aliases give the wire names; the owner's id, tenant and username come from its person and organization. */
const toKey = ({ key_id, key_hash, person, organization, ...rest }: KeyFragment) => ({
  key_id, key_hash, user_id: person.id, tenant_id: organization.tenantId, ...rest, username: person.username,
});

/** What a key's path may answer besides success: no or other credentials, no such key or tenant, a bad body. */
const keyErrors = [401, 403, 404, 422];

/** A key as created or regenerated: the only answers carrying the clear key, never cached. */
const issuedKey = {
  respond: (data: Record<string, { key: KeyFragment; apiKey: string }>) => {
    const { key, apiKey } = rootOf(data);
    return { body: { ...toKey(key), api_key: apiKey }, headers: NO_STORE };
  },
  responseSchema: userApiKeySchema,
  errorStatuses: keyErrors,
};

const keyList = { type: 'object', properties: { api_keys: { type: 'array', items: userApiKeySchema } } };

export const createUserKey = defineRoute(vault, {
  method: 'POST', path: '/api-keys', operationId: 'create_user_key', summary: 'Create User Key',
  body: { schema: createUserKeyBody },
  operation: /* GraphQL */ `
    mutation CreateUserKey($input: CreateUserApiKeyInput!) {
      createUserApiKey(input: $input) { apiKey key { ...Key } }
    } ${KEY}`,
  variables: ({ body }) => ({
    input: { tenantId: body.tenant_id, name: body.name, scopes: body.scopes, userId: body.user_id },
  }),
  ...issuedKey,
});

export const listUserKeys = defineRoute(vault, {
  method: 'GET', path: '/api-keys', operationId: 'list_user_keys', summary: 'List User Keys',
  parameters: [requiredTenantIdQuery],
  operation: /* GraphQL */ `
    query ListUserKeys($tenantId: String!) { tenantApiKeys(tenantId: $tenantId) { ...Key } } ${KEY}`,
  variables: ({ query }) => ({ tenantId: query.tenant_id }),
  respond: (data) => ({ body: { api_keys: data.tenantApiKeys.map(toKey) } }),
  responseSchema: keyList,
  errorStatuses: keyErrors,
});

export const regenerateUserKey = defineRoute(vault, {
  method: 'POST', path: '/api-keys/{key_id}/regenerate', operationId: 'regenerate_api_key', summary: 'Regenerate Api Key',
  parameters: [keyIdPath],
  operation: /* GraphQL */ `
    mutation RegenerateUserKey($id: ID!) { regenerateUserApiKey(id: $id) { apiKey key { ...Key } } } ${KEY}`,
  variables: ({ path }) => ({ id: path.key_id }),
  ...issuedKey,
  status: 200,
});

export const updateUserKey = defineRoute(vault, {
  method: 'PATCH', path: '/api-keys/{key_id}', operationId: 'update_api_key',
  summary: 'Rename or (de)activate an API key (proposed)',
  parameters: [keyIdPath],
  body: { schema: updateUserKeyBody },
  operation: /* GraphQL */ `
    mutation UpdateUserKey($id: ID!, $input: UpdateUserApiKeyInput!) { updateUserApiKey(id: $id, input: $input) { ...Key } } ${KEY}`,
  variables: ({ path, body }) => ({ id: path.key_id, input: { name: body.name, isActive: body.is_active } }),
  respond: (data) => ({ body: toKey(data.updateUserApiKey) }),
  responseSchema: userApiKeySchema,
  errorStatuses: keyErrors,
});

export const myKeys = defineRoute(vault, {
  method: 'GET', path: '/user/me/api-keys', operationId: 'list_my_api_keys', summary: 'List my API keys',
  operation: /* GraphQL */ `query MyKeys { me { apiKeys { ...Key } } } ${KEY}`,
  respond: (data) => ({ body: { api_keys: data.me.apiKeys.map(toKey) } }),
  responseSchema: keyList,
  errorStatuses: [401, 403],
});
