// Token issuance, shared by the grants of the token endpoint (grants/) and minted tokens
// (user-tokens.service.ts). Access tokens are ES256 JWTs; refresh tokens are opaque. Both are
// stored as the SHA-256 of the whole token, so a tampered token matches nothing and revocation is
// a row update.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { KeyStore, SigningAlg } from './keys.ts';
import type { OAuthClient } from './oauth-client.entity.ts';
import type { RecordedAuthentication } from './authorize-request.entity.ts';
import { insertTokensShared, type NewToken } from './oauth.queries.ts';
import { canWriteLater, writeLater } from './token-write-behind.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import { signCompactJws } from '../../crypto/compact-jws.ts';
import { InvalidClient, InvalidScope, UnauthorizedClient } from './oauth-errors.ts';

export const CODE_TTL_SECONDS = 60;
const ID_TOKEN_MAX_SECONDS = 3600;

/** What the token endpoint answers (RFC 6749 §5.1), in the graph's names (`OAuthTokenResponse`). */
export interface IssuedTokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: string;
  refreshToken?: string;
  idToken?: string;
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
  /** How the person signed in, when recorded (brokered sign-in): `authenticated_methods` and `authentications`. */
  authentication?: RecordedAuthentication | null;
}

/** The claims that say how the person signed in (SlashID's names); none when not recorded. */
function authenticationClaims(authentication: RecordedAuthentication | null | undefined) {
  if (!authentication) return {};
  const { method, handle, id, provider } = authentication;
  return { authenticated_methods: [method], authentications: [{ method, ...(handle ? { handle } : {}), ...(id ? { id } : {}), ...(provider ? { provider } : {}) }] };
}

const randomToken = () => crypto.randomBytes(32).toString('base64url');
export const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** base64url of the left half of SHA-256 (at_hash / c_hash for ES256, RS256 and Ed25519). */
const leftHash = (value: string) => crypto.createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');

export async function signJwt(keys: KeyStore, alg: SigningAlg, claims: Record<string, unknown>, typ = 'JWT'): Promise<string> {
  const key = await keys.signingKey(alg);
  return signCompactJws(alg, key.keyObject, { kid: key.kid, typ }, claims);
}

/** Issues an access token (and a refresh token and an ID token when asked) and stores them. */
export async function issueTokens(em: EntityManager, keys: KeyStore, input: IssueInput): Promise<IssuedTokens> {
  const { client, issuer, scope, person } = input;
  const now = new Date();
  const iat = epoch(now);
  const expiresIn = client.accessTokenDuration;
  const sub = person?.id ?? client.clientId;
  const methods = authenticationClaims(input.authentication);
  const access = await signJwt(keys, 'ES256', {
    ...input.customClaims,
    ...methods,
    iss: issuer, sub, aud: client.clientId, client_id: client.clientId, org_id: client.organization.id,
    scope: scope.join(' '), jti: crypto.randomUUID(), iat, exp: iat + expiresIn,
  }, 'at+jwt');
  const base = {
    grantId: input.grantId, organizationId: client.organization.id, clientId: client.id, personId: person?.id ?? null,
    issuer, scope: scope.join(' '), authTime: input.authTime ?? null, sid: input.sid ?? null, issuedAt: now,
    authentication: input.authentication ?? null,
  };
  const rows: NewToken[] = [{ ...base, tokenHash: sha256Hex(access), kind: 'access', expiresAt: new Date(now.getTime() + expiresIn * 1000) }];
  const response: IssuedTokens = { accessToken: access, tokenType: 'Bearer', expiresIn, scope: scope.join(' ') };
  if (input.refresh && person) {
    const refresh = randomToken();
    rows.push({ ...base, tokenHash: sha256Hex(refresh), kind: 'refresh', expiresAt: new Date(now.getTime() + client.refreshTokenDuration * 1000) });
    response.refreshToken = refresh;
  }
  if (person && scope.includes('openid')) {
    response.idToken = await signJwt(keys, client.signAlg as SigningAlg, {
      ...input.customClaims,
      ...methods,
      iss: issuer, sub: person.id, aud: client.clientId, azp: client.clientId, org_id: client.organization.id,
      iat, exp: iat + Math.min(expiresIn, ID_TOKEN_MAX_SECONDS),
      ...(input.authTime ? { auth_time: epoch(input.authTime) } : {}),
      ...(input.nonce ? { nonce: input.nonce } : {}),
      ...(input.sid ? { sid: input.sid } : {}),
      at_hash: leftHash(access),
    });
  }
  // A client's own token (no person, no refresh token) is answered first and written a moment later.
  if (!person && !response.refreshToken && canWriteLater(em)) {
    writeLater(em, rows, client.clientId);
    return response;
  }
  try {
    await insertTokensShared(em, rows);
  } catch (error) {
    // The client (or its organization) was deleted while this process still held it: the
    // invalidation arrives within milliseconds; until then the database says no, and so do we.
    if (error instanceof ForeignKeyConstraintViolationException) throw new InvalidClient('The client no longer exists');
    throw error;
  }
  return response;
}

export function parseScope(raw: string | null | undefined): string[] {
  if (raw == null || raw === '') return [];
  if (raw.length > 2048 || !/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/.test(raw)) {
    throw new InvalidScope('scope must be space-separated scope tokens');
  }
  return [...new Set(raw.split(' '))];
}

export function requireGrant(client: OAuthClient, grant: string) {
  if (!client.grantTypes.includes(grant)) throw new UnauthorizedClient(`This client may not use the ${grant} grant`);
}

export function assertAllowedScopes(client: OAuthClient, scope: string[]) {
  const refused = scope.filter((s) => !client.scopes.includes(s));
  if (refused.length) throw new InvalidScope(`The client may not request: ${refused.join(' ')}`);
}
