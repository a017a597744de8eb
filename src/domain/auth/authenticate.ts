// Turns presented credentials into a Principal. Keys are compared by SHA-256 digest in constant
// time; failures never say which half was wrong.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Unauthenticated } from '../errors.ts';
import { isUuidShaped } from '../ids.ts';
import { digestsEqual, sha256Hex } from '../../crypto/secrets.ts';
import { findActiveKeyByHash, findActiveKeysOf, type ApiKeyCache } from '../organization/api-key-lookup.queries.ts';
import type { ClientInfo, Principal } from '../principal.ts';
import { UNKNOWN_CLIENT } from '../principal.ts';
import { USER_KEY_PREFIX, authenticateUserApiKey } from '../api-key/user-api-key.service.ts';

const MAX_KEY_LENGTH = 256;

/** SlashID style: organization id + its API key (the organization's keys through `keys`, when given). */
export async function authenticateOrgKey(
  em: EntityManager, organizationId: string | undefined, apiKey: string | undefined, keys?: ApiKeyCache,
): Promise<Principal> {
  if (!organizationId || !apiKey) {
    throw new Unauthenticated('Send your organization id in SlashID-OrgID and its API key in SlashID-API-Key');
  }
  const presented = sha256Hex(apiKey.slice(0, MAX_KEY_LENGTH));
  const active = !isUuidShaped(organizationId) ? []
    : (keys ? await keys.find(em, organizationId) : await findActiveKeysOf(em, organizationId)) ?? [];
  let matched: string | undefined;
  for (const key of active) if (digestsEqual(key.keyHash, presented)) matched = key.id;
  if (!matched) throw new Unauthenticated('The SlashID-OrgID and SlashID-API-Key headers do not match an active API key');
  return { organizationId, method: 'org_api_key', keyId: matched };
}

/**
 * Secrets Vault style: an API key alone (X-API-Key, or as a Bearer token): an organization's key,
 * or a person's own key (prefixed `idgu_`), which acts as that person within its scopes.
 */
export async function authenticateApiKey(
  em: EntityManager, apiKey: string | undefined, method: Principal['method'], client: ClientInfo = UNKNOWN_CLIENT,
): Promise<Principal> {
  if (!apiKey) throw new Unauthenticated('Send an API key in X-API-Key or an access token in Authorization: Bearer');
  if (apiKey.length > MAX_KEY_LENGTH) throw new Unauthenticated('The API key is not valid');
  if (apiKey.startsWith(USER_KEY_PREFIX)) return authenticateUserApiKey(em, apiKey, client);
  const key = await findActiveKeyByHash(em, sha256Hex(apiKey));
  if (!key) throw new Unauthenticated('The API key is not valid or was revoked');
  return { organizationId: key.organizationId, method, keyId: key.id };
}

/** SlashID operations declared with the API key alone: SlashID-OrgID is optional but must match. */
export async function authenticateOrgKeyAlone(
  em: EntityManager, apiKey: string | undefined, organizationId: string | undefined,
): Promise<Principal> {
  if (!apiKey) throw new Unauthenticated('Send your organization API key in SlashID-API-Key');
  const key = apiKey.length <= MAX_KEY_LENGTH && !apiKey.startsWith(USER_KEY_PREFIX)
    ? await findActiveKeyByHash(em, sha256Hex(apiKey)) : null;
  if (!key || (organizationId !== undefined && organizationId !== key.organizationId)) {
    throw new Unauthenticated('The SlashID-API-Key header (and SlashID-OrgID, when sent) do not match an active API key');
  }
  return { organizationId: key.organizationId, method: 'org_api_key', keyId: key.id };
}
