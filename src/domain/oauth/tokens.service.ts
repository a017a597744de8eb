// Token issuance and the grants of the token endpoint (RFC 6749, 7636), introspection (RFC 7662),
// revocation (RFC 7009) and userinfo (OIDC Core §5.3). Access tokens are ES256 JWTs; refresh tokens
// are opaque. Both are stored as the SHA-256 of the whole token, so a tampered token matches nothing
// and revocation is a row update.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT } from 'jose';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { InvalidClient } from '../../oidc/errors.ts';
import type { KeyStore, SigningAlg } from './keys.ts';
import { OAuthClient } from './oauth-client.entity.ts';
import {
  consumeCode, findRequestByCodeHash, findTokenByHash, insertTokens, markTokenUsed, revokeGrant, revokeToken,
  type NewToken, type TokenRow,
} from './oauth.queries.ts';
import { Person } from '../person/person.entity.ts';
import { Handle } from '../person/handle.entity.ts';
import { Organization } from '../organization/organization.entity.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import { recordTokenIssue } from '../session/session.service.ts';
import { UNKNOWN_CLIENT, type ClientInfo } from '../principal.ts';
import {
  InsufficientScope, InvalidGrant, InvalidRequest, InvalidScope, InvalidToken, UnauthorizedClient,
} from '../../oidc/errors.ts';

export const CODE_TTL_SECONDS = 60;
const ID_TOKEN_MAX_SECONDS = 3600;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface IssueInput {
  client: OAuthClient;
  issuer: string;
  scope: string[];
  grantId: string;
  person?: { id: string } | null;
  authTime?: Date | null;
  nonce?: string;
  sid?: string | null;
  refresh: boolean;
  /** Extra claims of a minted token (SlashID `custom_claims`); never the reserved ones. */
  customClaims?: Record<string, unknown>;
}

const randomToken = () => crypto.randomBytes(32).toString('base64url');
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** base64url of the left half of SHA-256 (at_hash / c_hash for ES256, RS256 and Ed25519). */
const leftHash = (value: string) => crypto.createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');

export async function signJwt(keys: KeyStore, alg: SigningAlg, claims: Record<string, unknown>, typ = 'JWT'): Promise<string> {
  const key = await keys.signingKey(alg);
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, typ }).sign(key.privateKey);
}

/** Issues an access token (and a refresh token and an ID token when asked) and stores them. */
export async function issueTokens(em: EntityManager, keys: KeyStore, input: IssueInput): Promise<TokenResponse> {
  const { client, issuer, scope, person } = input;
  const now = new Date();
  const iat = epoch(now);
  const expiresIn = client.accessTokenDuration;
  const sub = person?.id ?? client.clientId;
  const access = await signJwt(keys, 'ES256', {
    ...input.customClaims,
    iss: issuer, sub, aud: client.clientId, client_id: client.clientId, org_id: client.organization.id,
    scope: scope.join(' '), jti: crypto.randomUUID(), iat, exp: iat + expiresIn,
  }, 'at+jwt');
  const base = {
    grantId: input.grantId, organizationId: client.organization.id, clientId: client.id, personId: person?.id ?? null,
    issuer, scope: scope.join(' '), authTime: input.authTime ?? null, sid: input.sid ?? null, issuedAt: now,
  };
  const rows: NewToken[] = [{ ...base, tokenHash: sha256Hex(access), kind: 'access', expiresAt: new Date(now.getTime() + expiresIn * 1000) }];
  const response: TokenResponse = { access_token: access, token_type: 'Bearer', expires_in: expiresIn, scope: scope.join(' ') };
  if (input.refresh && person) {
    const refresh = randomToken();
    rows.push({ ...base, tokenHash: sha256Hex(refresh), kind: 'refresh', expiresAt: new Date(now.getTime() + client.refreshTokenDuration * 1000) });
    response.refresh_token = refresh;
  }
  if (person && scope.includes('openid')) {
    response.id_token = await signJwt(keys, client.signAlg as SigningAlg, {
      ...input.customClaims,
      iss: issuer, sub: person.id, aud: client.clientId, azp: client.clientId, org_id: client.organization.id,
      iat, exp: iat + Math.min(expiresIn, ID_TOKEN_MAX_SECONDS),
      ...(input.authTime ? { auth_time: epoch(input.authTime) } : {}),
      ...(input.nonce ? { nonce: input.nonce } : {}),
      ...(input.sid ? { sid: input.sid } : {}),
      at_hash: leftHash(access),
    });
  }
  try {
    await insertTokens(em, rows);
  } catch (error) {
    // The client (or its organization) was deleted while this process still held it: the
    // invalidation arrives within milliseconds; until then the database says no, and so do we.
    if (error instanceof ForeignKeyConstraintViolationException) throw new InvalidClient('The client no longer exists');
    throw error;
  }
  return response;
}

export function parseScope(raw: string | undefined): string[] {
  if (raw === undefined || raw === '') return [];
  if (raw.length > 2048 || !/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(raw)) {
    throw new InvalidScope('scope must be space-separated scope tokens');
  }
  return [...new Set(raw.split(' '))];
}

function requireGrant(client: OAuthClient, grant: string) {
  if (!client.grantTypes.includes(grant)) throw new UnauthorizedClient(`This client may not use the ${grant} grant`);
}

function assertAllowedScopes(client: OAuthClient, scope: string[]) {
  const refused = scope.filter((s) => !client.scopes.includes(s));
  if (refused.length) throw new InvalidScope(`The client may not request: ${refused.join(' ')}`);
}

export async function clientCredentialsGrant(
  em: EntityManager, keys: KeyStore, client: OAuthClient, issuer: string, rawScope: string | undefined,
) {
  requireGrant(client, 'client_credentials');
  if (client.public) throw new UnauthorizedClient('A public client cannot use client_credentials');
  const requested = parseScope(rawScope);
  const scope = rawScope === undefined ? client.scopes.filter((s) => s !== 'openid' && s !== 'offline_access') : requested;
  if (scope.includes('openid') || scope.includes('offline_access')) throw new InvalidScope('openid and offline_access need a person: use the authorization code flow');
  assertAllowedScopes(client, scope);
  return issueTokens(em, keys, { client, issuer, scope, grantId: crypto.randomUUID(), refresh: false });
}

const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Records the token issue on the session the tokens belong to; refuses when it has ended. */
async function issueUnderSession(em: EntityManager, sid: string | null, requester: ClientInfo, onEnded: () => Promise<unknown>) {
  if (!sid) return;
  if (!(await recordTokenIssue(em, sid, requester))) {
    await onEnded();
    throw new InvalidGrant('The sign-in session of this grant has ended');
  }
}

export async function authorizationCodeGrant(
  em: EntityManager, keys: KeyStore, client: OAuthClient, issuer: string,
  form: { code?: string; redirect_uri?: string; code_verifier?: string }, requester: ClientInfo = UNKNOWN_CLIENT,
) {
  requireGrant(client, 'authorization_code');
  if (!form.code) throw new InvalidRequest('code is required');
  if (!form.redirect_uri) throw new InvalidRequest('redirect_uri is required');
  const request = await findRequestByCodeHash(em, sha256Hex(form.code));
  if (!request || request.client.id !== client.id || request.issuer !== issuer || !request.person) {
    throw new InvalidGrant('The authorization code is invalid');
  }
  if (!(await consumeCode(em, request.id))) {
    // A second redemption: someone has the code who should not. Revoke what the first one got.
    if (request.grantId) await revokeGrant(em, request.grantId);
    throw new InvalidGrant('The authorization code was already used; the tokens issued with it are revoked');
  }
  if (!request.codeExpiresAt || request.codeExpiresAt.getTime() < Date.now()) throw new InvalidGrant('The authorization code expired');
  if (form.redirect_uri !== request.params.redirectUri) throw new InvalidGrant('redirect_uri differs from the authorization request');
  if (!form.code_verifier) throw new InvalidGrant('code_verifier is required (PKCE)');
  if (!PKCE_VERIFIER.test(form.code_verifier)) throw new InvalidGrant('code_verifier must be 43 to 128 unreserved characters');
  const challenge = crypto.createHash('sha256').update(form.code_verifier).digest('base64url');
  const expected = Buffer.from(request.params.codeChallenge);
  const actual = Buffer.from(challenge);
  if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) {
    throw new InvalidGrant('code_verifier does not match the code_challenge');
  }
  const person = await em.findOne(Person, { id: request.person.id, active: true });
  if (!person) throw new InvalidGrant('The person is no longer active');
  const scope = request.params.scope;
  await issueUnderSession(em, request.sessionId ?? null, requester, async () => undefined);
  await em.nativeUpdate(OAuthClient, { id: client.id }, { lastUsedAt: new Date() });
  return issueTokens(em, keys, {
    client, issuer, scope, grantId: request.grantId!, person, authTime: request.authTime, nonce: request.params.nonce,
    sid: request.sessionId, refresh: scope.includes('offline_access') || client.grantTypes.includes('refresh_token'),
  });
}

export async function refreshTokenGrant(
  em: EntityManager, keys: KeyStore, client: OAuthClient, issuer: string, form: { refresh_token?: string; scope?: string },
  requester: ClientInfo = UNKNOWN_CLIENT,
) {
  if (!form.refresh_token) throw new InvalidRequest('refresh_token is required');
  const hash = sha256Hex(form.refresh_token);
  const row = await findTokenByHash(em, hash);
  if (!row || row.kind !== 'refresh' || row.client_id !== client.id || row.issuer !== issuer || !row.person_id) {
    throw new InvalidGrant('The refresh token is invalid');
  }
  if (row.revoked_at) throw new InvalidGrant('The refresh token was revoked');
  if (!(await markTokenUsed(em, hash))) {
    await revokeGrant(em, row.grant_id);
    throw new InvalidGrant('The refresh token was already used; every token of its grant is revoked');
  }
  if (row.expires_at.getTime() < Date.now()) throw new InvalidGrant('The refresh token expired');
  const granted = row.scope.split(' ').filter(Boolean);
  const scope = form.scope !== undefined ? parseScope(form.scope) : granted;
  const extra = scope.filter((s) => !granted.includes(s));
  if (extra.length) throw new InvalidScope(`Not granted originally: ${extra.join(' ')}`);
  const person = await em.findOne(Person, { id: row.person_id, active: true });
  if (!person) {
    await revokeGrant(em, row.grant_id);
    throw new InvalidGrant('The person is no longer active');
  }
  await issueUnderSession(em, row.sid, requester, () => revokeGrant(em, row.grant_id));
  return issueTokens(em, keys, {
    client, issuer, scope, grantId: row.grant_id, person, authTime: row.auth_time, sid: row.sid, refresh: true,
  });
}

const isActive = (row: TokenRow | undefined): row is TokenRow =>
  !!row && !row.revoked_at && row.expires_at.getTime() > Date.now() && !(row.kind === 'refresh' && row.used_at);

export async function introspect(em: EntityManager, client: OAuthClient, issuer: string, token: string | undefined) {
  if (!token) throw new InvalidRequest('token is required');
  const row = token.length <= 8192 ? await findTokenByHash(em, sha256Hex(token)) : undefined;
  if (!isActive(row) || row.organization_id !== client.organization.id || row.issuer !== issuer) return { active: false };
  return {
    active: true, client_id: row.wire_client_id, scope: row.scope, sub: row.person_id ?? row.wire_client_id,
    iss: row.issuer, aud: row.wire_client_id, exp: epoch(row.expires_at), iat: epoch(row.issued_at),
    token_type: row.kind === 'access' ? 'Bearer' : 'refresh_token',
  };
}

/** RFC 7009: revokes a token of this client (a refresh token takes its grant with it); unknown is fine. */
export async function revoke(em: EntityManager, client: OAuthClient, token: string | undefined) {
  if (!token) throw new InvalidRequest('token is required');
  if (token.length > 8192) return;
  const hash = sha256Hex(token);
  const row = await findTokenByHash(em, hash);
  if (!row || row.client_id !== client.id) return;
  if (row.kind === 'refresh') await revokeGrant(em, row.grant_id);
  else await revokeToken(em, hash);
}

/** The access token behind a Bearer header, active, for a person. */
export async function personAccessToken(em: EntityManager, token: string | undefined, issuer?: string) {
  if (!token || token.length > 8192) throw new InvalidToken('Send the access token in Authorization: Bearer');
  const row = await findTokenByHash(em, sha256Hex(token));
  if (!isActive(row) || row.kind !== 'access' || (issuer && row.issuer !== issuer)) {
    throw new InvalidToken('The access token is invalid, expired or revoked');
  }
  if (!row.person_id) throw new InsufficientScope('This access token was issued to a client, not to a person');
  const person = await em.findOne(Person, { id: row.person_id, active: true });
  if (!person) throw new InvalidToken('The person is no longer active');
  return { row, person };
}

export async function userinfo(em: EntityManager, token: string | undefined, issuer: string) {
  const { row, person } = await personAccessToken(em, token, issuer);
  const scope = row.scope.split(' ');
  if (!scope.includes('openid')) throw new InsufficientScope('userinfo needs the openid scope');
  const handles = await em.find(Handle, { person: person.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const first = (type: string) => handles.find((h) => h.type === type)?.value;
  const claims: Record<string, unknown> = { sub: person.id, iss: row.issuer, aud: row.wire_client_id, org_id: row.organization_id };
  if (scope.includes('email') && first('email_address')) {
    claims.email = first('email_address');
    claims.email_verified = person.isVerified;
  }
  if (scope.includes('phone') && first('phone_number')) {
    claims.phone_number = first('phone_number');
    claims.phone_number_verified = person.isVerified;
  }
  if (scope.includes('profile')) {
    if (first('username')) { claims.username = first('username'); claims.preferred_username = first('username'); }
    if (person.locale) claims.locale = person.locale;
    claims.updated_at = epoch(person.updatedAt);
  }
  return claims;
}

/** The Secrets Vault `GET /user/me` view of the person behind an access token. */
export async function currentUser(em: EntityManager, token: string | undefined) {
  const { person } = await personAccessToken(em, token);
  const handles = await em.find(Handle, { person: person.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const organization = await em.findOneOrFail(Organization, { id: person.organization.id });
  return {
    user_id: person.id,
    username: handles.find((h) => h.type === 'username')?.value ?? null,
    email: handles.find((h) => h.type === 'email_address')?.value ?? null,
    tenant_id: organization.tenantId,
    is_disabled: !person.active,
    is_verified: person.isVerified,
    created_at: person.createdAt.toISOString(),
    updated_at: person.updatedAt.toISOString(),
    locale: person.locale ?? null,
    roles: [],
    external_id: person.externalId ?? null,
  };
}
