// Per-user API keys: a person's own keys, limited to scopes. The clear key is returned once (at
// creation and regeneration); only its SHA-256 is stored. Use is recorded at most once a minute
// per key (an in-process throttle in front of a guarded UPDATE), never a write per request.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UserApiKey } from './user-api-key.entity.ts';
import {
  findActiveUserApiKeyByHash, findUserApiKey, recordKeyUse, userApiKeysOfOrganization, userApiKeysOfPerson,
} from './user-api-key.queries.ts';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { resolveManagedOrganization } from '../organization/organization.service.ts';
import { getPerson } from '../person/person-lookup.ts';
import { accessPoint } from '../session/session.service.ts';
import { SCOPES, type Scope } from '../auth/scopes.ts';
import { Forbidden, NotFound, Unauthenticated, ValidationFailed } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import type { ClientInfo, Principal } from '../principal.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import { emitApiKeyRotated } from '../webhook/events.ts';

/** Per-user keys start with this, so a leaked one is recognisable (secret scanners, logs). */
export const USER_KEY_PREFIX = 'idgu_';
export const LAST_USE_EVERY_MS = 60_000;

export interface NewUserApiKey { key: UserApiKey; apiKey: string }

function assertScopes(scopes: readonly string[], principal: Principal) {
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    throw new ValidationFailed(`Unknown scope "${unknown[0]}"; scopes are ${SCOPES.join(', ')}`, unknown.map((s) => ({
      loc: ['body', 'scopes', scopes.indexOf(s)], msg: `Input should be one of ${SCOPES.join(', ')}`, type: 'enum',
    })));
  }
  // A person's key cannot mint a key stronger than itself.
  const beyond = principal.scopes ? scopes.filter((s) => !principal.scopes!.includes(s)) : [];
  if (beyond.length) throw new Forbidden(`Your key lacks the "${beyond[0]}" scope, so a key you create cannot have it`);
}

function assertName(name: string) {
  if (!name.trim() || name.length > 128) {
    throw new ValidationFailed('name must be 1 to 128 characters', [{ loc: ['body', 'name'], msg: 'must be 1 to 128 characters', type: 'value_error' }]);
  }
}

export interface CreateUserApiKeyInput { tenantId: string; name: string; scopes: string[]; userId?: string | null }

/**
 * A person creates a key for itself (its tenant only); an organization key creates one for a
 * user of a tenant it manages, named by `userId`.
 */
export async function createUserApiKey(em: EntityManager, principal: Principal, input: CreateUserApiKeyInput,
  client: ClientInfo): Promise<NewUserApiKey> {
  assertName(input.name);
  assertScopes(input.scopes, principal);
  const org = await resolveManagedOrganization(em, principal, { tenantId: input.tenantId });
  let person: Person;
  if (principal.personId) {
    if (input.userId != null && input.userId !== principal.personId) throw new Forbidden('A user can create keys for itself only');
    person = await getPerson(em, org, principal.personId);
  } else {
    if (input.userId == null) {
      throw new ValidationFailed('With an organization key, name the user the key is for in user_id', [
        { loc: ['body', 'user_id'], msg: 'Field required', type: 'missing' }]);
    }
    person = await getPerson(em, org, input.userId);
  }
  const apiKey = USER_KEY_PREFIX + newSecretToken(32);
  const key = em.create(UserApiKey, {
    id: timeOrderedUuid(), organization: org, person, keyHash: sha256Hex(apiKey), name: input.name.trim(),
    scopes: [...new Set(input.scopes)], isActive: true, created: accessPoint(client),
  } as never);
  await em.flush();
  return { key, apiKey };
}

/** A key the principal may manage: its own (as a person) or any in a tenant it manages. */
async function manageableKey(em: EntityManager, principal: Principal, keyId: string): Promise<UserApiKey> {
  const key = isUuidShaped(keyId) ? await findUserApiKey(em, keyId) : null;
  const notFound = new NotFound(`No API key with id "${keyId.slice(0, 64)}"`);
  if (!key) throw notFound;
  if (principal.personId) {
    if (key.person.id !== principal.personId) throw notFound;
  } else {
    try { await resolveManagedOrganization(em, principal, { id: key.organization.id }); } catch { throw notFound; }
  }
  return key;
}

export async function regenerateUserApiKey(em: EntityManager, principal: Principal, keyId: string): Promise<NewUserApiKey> {
  const key = await manageableKey(em, principal, keyId);
  const apiKey = USER_KEY_PREFIX + newSecretToken(32);
  key.keyHash = sha256Hex(apiKey);
  await em.flush();
  await emitApiKeyRotated(em, key.organization.id, { key_id: key.id, key_kind: 'user_api_key', person_id: key.person.id });
  return { key, apiKey };
}

export async function updateUserApiKey(em: EntityManager, principal: Principal, keyId: string,
  change: { isActive?: boolean | null; name?: string | null }): Promise<UserApiKey> {
  const key = await manageableKey(em, principal, keyId);
  if (change.name != null) { assertName(change.name); key.name = change.name.trim(); }
  if (change.isActive != null) key.isActive = change.isActive;
  await em.flush();
  return key;
}

/** Admin view: every key of a tenant (organization keys only). */
export async function listTenantApiKeys(em: EntityManager, principal: Principal, tenantId: string): Promise<UserApiKey[]> {
  const org = await resolveManagedOrganization(em, principal, { tenantId });
  return userApiKeysOfOrganization(em, org.id);
}

export function listPersonApiKeys(em: EntityManager, personId: string): Promise<UserApiKey[]> {
  return userApiKeysOfPerson(em, personId);
}

// Process memory only spares writes: a stale or missing entry costs one UPDATE at most, and the
// guarded UPDATE below decides in the database, so no cross-process invalidation is needed.
const lastWritten = new Map<string, number>();

async function recordUse(em: EntityManager, key: UserApiKey, client: ClientInfo) {
  const now = Date.now();
  if (now - (lastWritten.get(key.id) ?? 0) < LAST_USE_EVERY_MS) return;
  lastWritten.set(key.id, now);
  if (lastWritten.size > 10_000) lastWritten.clear();
  await recordKeyUse(em, key.id, accessPoint(client), LAST_USE_EVERY_MS / 1000);
}

/** The principal of a per-user key: its person, in its organization, limited to its scopes. */
export async function authenticateUserApiKey(em: EntityManager, apiKey: string, client: ClientInfo): Promise<Principal> {
  const key = await findActiveUserApiKeyByHash(em, sha256Hex(apiKey));
  if (!key || !key.person.getEntity().active) throw new Unauthenticated('The API key is not valid or was revoked');
  await recordUse(em, key, client);
  return {
    organizationId: key.organization.id, method: 'user_api_key', personId: key.person.id,
    scopes: [...key.scopes] as Scope[], keyId: key.id,
  };
}

export type { Organization };
