// SlashID user tokens (endpoint table 1, rows 1, 2, 12, 13, 128): RS256 JWTs for a person, minted
// by the organization's API, validated and revoked by it; plus OAuth 2.0 / OIDC tokens minted for a
// person and a client without a browser flow.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { findUserToken, insertUserToken, revokeUserTokenByJti } from './user-tokens.queries.ts';
import { findOrganization } from './oauth.queries.ts';
import { issueTokens, signJwt } from './tokens.service.ts';
import { getManagedClient } from './clients.service.ts';
import { findPersonInOrganization } from '../person/person.queries.ts';
import type { Person } from '../person/person.entity.ts';
import { BadRequest, NotFound, ValidationFailed } from '../errors.ts';
import { UNKNOWN_CLIENT, type ClientInfo, type Principal } from '../principal.ts';
import { runTokenMintedHooks } from '../webhook/sync-hooks.ts';
import { emitEvent } from '../webhook/events.ts';
import type { AppServices } from '../services.ts';
import { organizationConfigOf } from '../organization/organization-config.ts';
import { groupsOfPersons, rolesOfPersons } from '../access/access.queries.ts';
import { tokenTemplateClaims } from '../organization/templates.ts';

export const MAX_DIRECT_ID_SECONDS = 30 * 86400;

export const RESERVED_CLAIMS = new Set(['aud', 'exp', 'jti', 'iat', 'iss', 'nbf', 'sub', 'prev_token_id', 'oid', 'org_id',
  'user_id', 'person_id', 'first_token', 'authenticated_methods', 'oidc_tokens', 'user_token', 'groups', 'roles',
  'access_token', 'refresh_token', 'id', 'id_token', 'gdpr', 'gdpr_consent', 'gdpr_consent_level', 'parent_user_id',
  'parent_person_id', 'parent_org_id', 'parent_oid', 'attributes', 'custom_claims', 'slashid', 'slashid.dev',
  'slashid.com', 'slashid.me', 'sid', 'scope', 'client_id', 'azp', 'nonce', 'auth_time', 'at_hash', 'authentications']);

export function assertCustomClaims(claims: Record<string, unknown> | null | undefined, loc = 'custom_claims') {
  if (!claims) return {};
  const reserved = Object.keys(claims).filter((k) => RESERVED_CLAIMS.has(k) || RESERVED_CLAIMS.has(k.toLowerCase()));
  if (reserved.length) {
    throw new ValidationFailed(`Reserved claim names cannot be set: ${reserved.join(', ')}`,
      reserved.map((k) => ({ loc: ['body', loc, k], msg: 'reserved claim name', type: 'value_error' })));
  }
  if (JSON.stringify(claims).length > 16384) {
    throw new ValidationFailed('custom_claims is too large', [{ loc: ['body', loc], msg: 'at most 16 KiB of JSON', type: 'value_error' }]);
  }
  return claims;
}

/** A person of the caller's person pool (a pooled person is minted for by every organization of the pool). */
async function activePerson(em: EntityManager, principal: Principal, personId: string) {
  const person = await findPersonInOrganization(em, principal.organizationId, personId);
  if (!person) throw new NotFound('Person not found in your organization');
  return person;
}

/**
 * Signs a user token of organization `orgId` (the minting one: for a pooled person not the
 * pool's owner, where the person is stored). `durationSeconds` defaults to the organization's
 * `token_duration`; the person's group names (of the organization's group pool) go in its
 * `groups_claim_name` claim, its role names (of the organization's RBAC pool, inherited or not) in `roles`.
 */
async function mint(em: EntityManager, services: AppServices, orgId: string, person: Person, durationSeconds: number | undefined,
  methods: string[], customClaims: Record<string, unknown>, client: ClientInfo = UNKNOWN_CLIENT) {
  const organization = await findOrganization(em, orgId);
  const config = organizationConfigOf(organization);
  if (customClaims[config.groupsClaimName] !== undefined) {
    throw new ValidationFailed(`The claim "${config.groupsClaimName}" holds the person's groups and cannot be set`,
      [{ loc: ['body', 'custom_claims', config.groupsClaimName], msg: 'reserved claim name', type: 'value_error' }]);
  }
  durationSeconds ??= config.tokenDuration;
  const groups = (await groupsOfPersons(em, [person.id], orgId)).map((g) => g.group.name);
  const roles = (await rolesOfPersons(em, [person.id], orgId)).map((r) => r.role.name);
  const now = new Date();
  const iat = Math.floor(now.getTime() / 1000);
  const jti = crypto.randomBytes(16).toString('hex');
  // The organization's token template comes first: the request's custom claims, then the
  // claims this server owns, win over it.
  const templated = tokenTemplateClaims(organization, person, RESERVED_CLAIMS, config.groupsClaimName);
  const claims: Record<string, unknown> = {
    ...templated,
    ...customClaims,
    iss: services.publicUrl(), sub: person.id, person_id: person.id, oid: orgId, aud: orgId, iat,
    exp: iat + durationSeconds, jti, authenticated_methods: methods, first_token: false,
    roles, [config.groupsClaimName]: groups, region: person.region, person_type: person.personType,
  };
  // The token_minted sync hooks see the draft and may add claims (src/domain/webhook/sync-hooks.ts).
  const hooks = await runTokenMintedHooks(em, services.webhooks, orgId, { ...claims, groups_claim_name: config.groupsClaimName },
    { client_ip_address: client.ip, origin: null, user_agent: client.userAgent },
    (name) => RESERVED_CLAIMS.has(name) || RESERVED_CLAIMS.has(name.toLowerCase()) || name === config.groupsClaimName || name in claims);
  const token = await signJwt(services.keys, 'RS256', { ...hooks.claims, ...claims });
  await insertUserToken(em, { jti, organizationId: orgId, personId: person.id, issuedAt: now, expiresAt: new Date(now.getTime() + durationSeconds * 1000) });
  await emitEvent(em, orgId, 'TokenMinted_v1', { person_id: person.id, token_id: jti, authenticated_methods: methods, region: person.region });
  return token;
}

export async function mintUserToken(em: EntityManager, services: AppServices, principal: Principal, personId: string,
  customClaims?: Record<string, unknown> | null, client: ClientInfo = UNKNOWN_CLIENT) {
  const claims = assertCustomClaims(customClaims);
  const person = await activePerson(em, principal, personId);
  return mint(em, services, principal.organizationId, person, undefined, ['api'], claims, client);
}

/** A Direct-ID: base64url JSON carrying a short-lived user token that signs the person in. */
export async function createDirectId(em: EntityManager, services: AppServices, principal: Principal, personId: string, durationSeconds: number) {
  if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > MAX_DIRECT_ID_SECONDS) {
    throw new ValidationFailed(`duration_secs must be between 1 and ${MAX_DIRECT_ID_SECONDS}`,
      [{ loc: ['body', 'duration_secs'], msg: 'out of range', type: 'value_error.range' }]);
  }
  const person = await activePerson(em, principal, personId);
  const token = await mint(em, services, principal.organizationId, person, durationSeconds, ['direct_id'], {});
  return Buffer.from(JSON.stringify({ type: 'direct_id', token })).toString('base64url');
}

type Reason = 'invalid_token_content' | 'expired' | 'invalid_issuer' | 'not_enough_factors' | 'person_not_active';

/** Checks signature, issuer and organization; the claims, or why not. */
async function inspect(em: EntityManager, services: AppServices, principal: Principal, token: string):
  Promise<{ claims: Record<string, any>; reason?: Reason }> {
  let claims: Record<string, any>;
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    const jwk = kid ? await services.keys.publicJwk(kid) : undefined;
    if (!jwk || alg !== 'RS256' || jwk.alg !== 'RS256') throw new Error('not ours');
    const { payload } = await compactVerify(token, await importJWK(jwk, 'RS256'));
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return { claims: {}, reason: 'invalid_token_content' };
  }
  if (claims.iss !== services.publicUrl()) return { claims, reason: 'invalid_issuer' };
  if (claims.oid !== principal.organizationId || typeof claims.jti !== 'string') return { claims, reason: 'invalid_token_content' };
  return { claims };
}

export async function validateUserToken(em: EntityManager, services: AppServices, principal: Principal, token: string) {
  const { claims, reason } = await inspect(em, services, principal, token);
  if (reason) return { valid: false, invalidityReason: reason };
  const row = await findUserToken(em, claims.jti);
  if (!row || row.revokedAt) return { valid: false, invalidityReason: 'invalid_token_content' };
  const expiresAt = new Date(claims.exp * 1000);
  if (expiresAt.getTime() <= Date.now()) return { valid: false, invalidityReason: 'expired' };
  const person = typeof claims.sub === 'string' ? await findPersonInOrganization(em, principal.organizationId, claims.sub) : null;
  if (!person?.active) return { valid: false, invalidityReason: 'person_not_active' };
  return { valid: true, expiresInSeconds: Math.floor((expiresAt.getTime() - Date.now()) / 1000), expiresAt };
}

export async function revokeUserToken(em: EntityManager, services: AppServices, principal: Principal, token: string) {
  const { claims, reason } = await inspect(em, services, principal, token);
  if (reason) throw new BadRequest('The token is not a user token of your organization');
  await revokeUserTokenByJti(em, claims.jti);
  return true;
}

/** OAuth 2.0 / OIDC tokens for a person and a client of the caller, at the root issuer. */
export async function mintOAuthTokens(em: EntityManager, services: AppServices, principal: Principal, input: {
  personId: string; clientId: string; scopes?: string[] | null; customClaims?: Record<string, unknown> | null;
}) {
  const claims = assertCustomClaims(input.customClaims);
  const client = await getManagedClient(em, principal, input.clientId);
  const person = await findPersonInOrganization(em, client.organization.id, input.personId);
  if (!person || !person.active) throw new NotFound('Person not found in the organization of this client');
  const scope = [...new Set(input.scopes ?? [])];
  const refused = scope.filter((s) => !client.scopes.includes(s) && s !== 'openid' && s !== 'offline_access');
  if (refused.length) {
    throw new ValidationFailed(`The client may not be given: ${refused.join(' ')}`, [{ loc: ['body', 'scopes'], msg: 'not allowed for this client', type: 'value_error' }]);
  }
  const tokens = await issueTokens(em, services.keys, {
    client, issuer: services.publicUrl(), scope, grantId: crypto.randomUUID(), person, authTime: new Date(),
    refresh: scope.includes('offline_access'), customClaims: claims,
  });
  return { accessToken: tokens.accessToken, idToken: tokens.idToken ?? null, refreshToken: tokens.refreshToken ?? null };
}
