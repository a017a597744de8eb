// Rules for OAuth clients: who manages them (the owning organization or an ancestor; others get
// NOT_FOUND), what a client may be configured with, and secrets (shown once, stored as SHA-256).
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OAuthClient } from './oauth-client.entity.ts';
import { findClientByClientId, findClientsOf, type ClientCache } from './clients.queries.ts';
import { findByTenantId, isSameOrAncestor } from '../organization/organization.queries.ts';
import { resolveManagedOrganization } from '../organization/organization.service.ts';
import { Conflict, NotFound, ValidationFailed, type FieldIssue } from '../errors.ts';
import { flushOrConflict } from '../unique-flush.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import type { Principal } from '../principal.ts';
import type { OAuthClientInput, OrganizationSelector } from '../schema-types.generated.ts';
import type { TenantSettings } from '../organization/tenant-settings.ts';

export interface ClientWithSecret { client: OAuthClient; clientSecret: string | null }

export interface ClientPublicInfo {
  clientId: string;
  name: string;
  tenantId: string;
  tenantName: string | null;
  logoUri: string | null;
  clientUri: string | null;
  policyUrl: string | null;
  tosUrl: string | null;
  userAgreementUrl: string | null;
  clientLogoutUri: string | null;
  registerEnable: boolean;
  tenantSettings: TenantSettings;
}

export const GRANT_TYPES = ['client_credentials', 'authorization_code', 'refresh_token'];
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'];
const DETAIL_FIELDS = ['logoUri', 'clientUri', 'policyUrl', 'tosUrl', 'userAgreementUrl', 'clientLogoutUri', 'registerEnable', 'tenantName', 'flow'] as const;
export const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** A scope token of RFC 6749 §3.3: printable ASCII but space, " and \. */
export const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

const notFound = () => new NotFound('OAuth client not found, or not managed by your credentials');

function checkUri(value: string, loc: (string | number)[], issues: FieldIssue[]) {
  let url: URL | undefined;
  try { url = new URL(value); } catch { /* reported below */ }
  if (!url || value.length > 2000 || url.hash || ['javascript:', 'data:', 'vbscript:', 'file:'].includes(url.protocol)) {
    issues.push({ loc, msg: 'must be an absolute URI without a fragment', type: 'value_error.url' });
  }
}

/** Checks an input against the rules; `existing` is the client being changed, if any. */
function validate(input: OAuthClientInput, existing?: OAuthClient) {
  const issues: FieldIssue[] = [];
  const isPublic = input.public ?? existing?.public ?? false;
  if (input.name != null && (!input.name.trim() || input.name.length > 255)) {
    issues.push({ loc: ['body', 'client_name'], msg: 'must be 1 to 255 characters', type: 'value_error' });
  }
  const grants = input.grantTypes ?? existing?.grantTypes ?? [];
  grants.forEach((g, i) => {
    if (!GRANT_TYPES.includes(g)) issues.push({ loc: ['body', 'grant_types', i], msg: `must be one of ${GRANT_TYPES.join(', ')}`, type: 'value_error.enum' });
  });
  if (isPublic && grants.includes('client_credentials')) {
    issues.push({ loc: ['body', 'grant_types'], msg: 'a public client cannot use client_credentials', type: 'value_error' });
  }
  (input.scopes ?? []).forEach((s, i) => {
    if (!SCOPE.test(s)) issues.push({ loc: ['body', 'scopes', i], msg: 'must be a scope token without spaces or quotes', type: 'value_error' });
  });
  (input.redirectUris ?? []).forEach((u, i) => checkUri(u, ['body', 'redirect_uris', i], issues));
  (input.postLogoutRedirectUris ?? []).forEach((u, i) => checkUri(u, ['body', 'post_logout_redirect_uri', i], issues));
  for (const [key, wire] of [['accessTokenDuration', 'access_token_duration'], ['refreshTokenDuration', 'refresh_token_duration']] as const) {
    const value = input[key];
    if (value != null && (value < 1 || value > 31_536_000)) {
      issues.push({ loc: ['body', wire], msg: 'must be between 1 and 31536000 seconds', type: 'value_error.range' });
    }
  }
  if (input.clientSecret != null && (input.clientSecret.length < 16 || input.clientSecret.length > 256)) {
    issues.push({ loc: ['body', 'client_secret'], msg: 'must be 16 to 256 characters', type: 'value_error' });
  }
  if (input.tokenEndpointAuthMethod != null
    && !CLIENT_AUTH_METHODS.includes(input.tokenEndpointAuthMethod)) {
    issues.push({ loc: ['body', 'token_endpoint_auth_method'], msg: 'must be client_secret_basic, client_secret_post or none', type: 'value_error.enum' });
  }
  if (issues.length) throw new ValidationFailed('Invalid OAuth client', issues);
}

function applyInput(client: OAuthClient, input: OAuthClientInput) {
  if (input.name != null) client.name = input.name.trim();
  if (input.public != null) client.public = input.public;
  if (input.grantTypes != null) client.grantTypes = [...new Set(input.grantTypes)];
  if (input.scopes != null) client.scopes = [...new Set(input.scopes)];
  if (input.redirectUris != null) client.redirectUris = [...new Set(input.redirectUris)];
  if (input.postLogoutRedirectUris != null) client.postLogoutRedirectUris = [...new Set(input.postLogoutRedirectUris)];
  if (input.accessTokenDuration != null) client.accessTokenDuration = input.accessTokenDuration;
  if (input.refreshTokenDuration != null) client.refreshTokenDuration = input.refreshTokenDuration;
  if (input.signAlg != null) client.signAlg = input.signAlg;
  if (input.isLock != null) client.isLock = input.isLock;
  if (input.thirdParty != null) client.thirdParty = input.thirdParty;
  if (input.tokenEndpointAuthMethod != null) client.tokenEndpointAuthMethod = input.tokenEndpointAuthMethod;
  if (client.public) client.tokenEndpointAuthMethod = 'none';
  else if (client.tokenEndpointAuthMethod === 'none') client.tokenEndpointAuthMethod = 'client_secret_basic';
  const details = { ...client.details };
  for (const key of DETAIL_FIELDS) if (input[key] !== undefined) details[key] = input[key];
  client.details = details;
}

/** Commits a change of a client and waits until the processes' caches have heard of it. */
const committed = (em: EntityManager, cache: ClientCache | undefined, clientId: string, write: () => Promise<unknown>) =>
  (cache ? cache.change(em, clientId, write) : write());

export async function listClients(
  em: EntityManager, principal: Principal, select: OrganizationSelector | null | undefined, offset = 0, first = 1000,
) {
  const organization = await resolveManagedOrganization(em, principal, select);
  return findClientsOf(em, organization.id, Math.max(0, offset), Math.min(Math.max(0, first), 1000));
}

/** The client, if the caller's organization owns it or is an ancestor of its owner. */
export async function getManagedClient(em: EntityManager, principal: Principal, clientId: string): Promise<OAuthClient> {
  const client = await findClientByClientId(em, clientId);
  if (!client) throw notFound();
  const ownerId = client.organization.id;
  if (ownerId !== principal.organizationId && !(await isSameOrAncestor(em, principal.organizationId, ownerId))) throw notFound();
  return client;
}

export async function createClient(
  em: EntityManager, principal: Principal, select: OrganizationSelector | null | undefined, input: OAuthClientInput,
): Promise<ClientWithSecret> {
  const organization = await resolveManagedOrganization(em, principal, select);
  if (input.name == null) throw new ValidationFailed('client_name is required', [{ loc: ['body', 'client_name'], msg: 'field required', type: 'value_error.missing' }]);
  validate(input);
  const clientId = input.clientId ?? crypto.randomUUID();
  if (!CLIENT_ID.test(clientId)) {
    throw new ValidationFailed('Invalid client_id', [{ loc: ['body', 'client_id'], msg: 'must be 1 to 128 letters, digits, ".", "_", ":" or "-"', type: 'value_error.str.regex' }]);
  }
  // client_id is global (the root issuer finds a client by it alone): a taken one gets this one
  // answer whoever holds it, and a lost race the same.
  const taken = () => new Conflict(`A client with client_id "${clientId}" already exists; choose another client_id`);
  if (await findClientByClientId(em, clientId)) throw taken();
  const client = em.create(OAuthClient, {
    id: crypto.randomUUID(), clientId, organization, name: '',
    grantTypes: [], scopes: [], redirectUris: [], postLogoutRedirectUris: [], details: {},
  });
  applyInput(client, input);
  const clientSecret = client.public ? null : (input.clientSecret ?? newSecretToken(32));
  client.secretHash = clientSecret ? sha256Hex(clientSecret) : null;
  await flushOrConflict(em, taken().message);
  return { client, clientSecret };
}

// `cache`: this process's client cache, emptied at once; other processes hear of the change
// through the database trigger (src/db/invalidation.ts).
export async function updateClient(em: EntityManager, principal: Principal, clientId: string, input: OAuthClientInput, cache?: ClientCache) {
  const client = await getManagedClient(em, principal, clientId);
  if (input.clientId != null && input.clientId !== client.clientId) {
    throw new ValidationFailed('client_id cannot change', [{ loc: ['body', 'client_id'], msg: 'must equal the client_id in the path', type: 'value_error' }]);
  }
  validate(input, client);
  applyInput(client, input);
  if (input.clientSecret != null && !client.public) client.secretHash = sha256Hex(input.clientSecret);
  if (client.public) client.secretHash = null;
  else if (!client.secretHash) client.secretHash = sha256Hex(newSecretToken(32)); // unusable until rotated
  await committed(em, cache, client.clientId, () => em.flush());
  return client;
}

export async function deleteClient(em: EntityManager, principal: Principal, clientId: string, cache?: ClientCache) {
  const client = await getManagedClient(em, principal, clientId);
  await committed(em, cache, client.clientId, () => em.remove(client).flush());
  return true;
}

export async function rotateClientSecret(em: EntityManager, principal: Principal, clientId: string, cache?: ClientCache): Promise<ClientWithSecret> {
  const client = await getManagedClient(em, principal, clientId);
  if (client.public) throw new ValidationFailed('A public client has no secret', [{ loc: ['path', 'oauth_client_id'], msg: 'public clients have no secret', type: 'value_error' }]);
  const clientSecret = newSecretToken(32);
  client.secretHash = sha256Hex(clientSecret);
  await committed(em, cache, client.clientId, () => em.flush());
  return { client, clientSecret };
}

export async function setUiConfiguration(em: EntityManager, principal: Principal, clientId: string, configuration: Record<string, unknown>) {
  const client = await getManagedClient(em, principal, clientId);
  if (JSON.stringify(configuration).length > 65536) {
    throw new ValidationFailed('The UI configuration is too large', [{ loc: ['body'], msg: 'at most 64 KiB of JSON', type: 'value_error' }]);
  }
  client.uiConfiguration = configuration;
  await em.flush();
  return client;
}

export const detailOf = (client: OAuthClient, key: typeof DETAIL_FIELDS[number]) => client.details?.[key] ?? null;

export async function clientPublicInfo(em: EntityManager, clientId: string, tenantId: string): Promise<ClientPublicInfo> {
  const organization = await findByTenantId(em, tenantId);
  const client = organization ? await findClientByClientId(em, clientId) : null;
  if (!organization || !client || client.organization.id !== organization.id) {
    throw new NotFound('No client with this client_id in this tenant');
  }
  const d = client.details ?? {};
  return {
    clientId: client.clientId, name: client.name, tenantId: organization.tenantId,
    tenantName: (d.tenantName as string) ?? organization.tenantSettings.displayName ?? organization.name,
    logoUri: (d.logoUri as string) ?? null, clientUri: (d.clientUri as string) ?? null,
    policyUrl: (d.policyUrl as string) ?? null, tosUrl: (d.tosUrl as string) ?? null,
    userAgreementUrl: (d.userAgreementUrl as string) ?? null, clientLogoutUri: (d.clientLogoutUri as string) ?? null,
    registerEnable: (d.registerEnable as boolean) ?? organization.tenantSettings.registerEnable,
    tenantSettings: organization.tenantSettings,
  };
}

/** Constant-time check of a presented client secret. */
export function secretMatches(client: OAuthClient, presented: string): boolean {
  if (!client.secretHash || presented.length > 512) return false;
  const a = Buffer.from(client.secretHash, 'hex');
  const b = Buffer.from(sha256Hex(presented), 'hex');
  return crypto.timingSafeEqual(a, b);
}


