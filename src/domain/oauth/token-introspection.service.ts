// Introspection (RFC 7662) and revocation (RFC 7009) by an authenticated client at its issuer.
// A client sees only tokens of its organization issued by this issuer; it revokes only its own.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import type { AppServices } from '../services.ts';
import { revokeAccessToken, revokeGrant, type TokenRow } from './oauth.queries.ts';
import { findTokenByHash, markUnwrittenRevoked } from './token-write-behind.ts';
import type { OAuthClient } from './oauth-client.entity.ts';
import { authenticateClient, type PresentedClient } from './client-auth.ts';
import { resolveIssuer } from './issuer.ts';
import { InvalidRequest } from './oauth-errors.ts';
import { sha256Hex } from '../../crypto/secrets.ts';

/** Longer values are no token of ours: nothing is looked up for them. */
export const MAX_TOKEN_LENGTH = 8192;

export interface TokenQuery {
  tenantId?: string | null;
  client: PresentedClient;
  token?: string | null;
}

/** What introspection says of a token, in the graph's names (`OAuthTokenIntrospection`). */
export type TokenIntrospection = { active: false } | {
  active: true; clientId: string; scope: string; subject: string; issuer: string; audience: string;
  expiresAt: Date; issuedAt: Date; tokenType: 'Bearer' | 'refresh_token';
};

export const isActiveToken = (row: TokenRow | undefined): row is TokenRow =>
  !!row && !row.revoked_at && row.expires_at.getTime() > Date.now() && !(row.kind === 'refresh' && row.used_at);

export async function introspectToken(em: EntityManager, services: AppServices, query: TokenQuery): Promise<TokenIntrospection> {
  const issuer = await resolveIssuer(em, services.publicUrl(), query.tenantId);
  const client = await authenticateClient(em, services.clients, query.client, issuer.organizationId);
  if (client.public) throw new InvalidRequest('Public clients cannot introspect tokens');
  const { token } = query;
  if (!token) throw new InvalidRequest('token is required');
  const row = token.length <= MAX_TOKEN_LENGTH ? await findFreshToken(em, token) : undefined;
  if (!isActiveToken(row) || row.organization_id !== client.organization.id || row.issuer !== issuer.endpoints.issuer) {
    return { active: false };
  }
  return {
    active: true, clientId: row.wire_client_id, scope: row.scope, subject: row.person_id ?? row.wire_client_id,
    issuer: row.issuer, audience: row.wire_client_id, expiresAt: row.expires_at, issuedAt: row.issued_at,
    tokenType: row.kind === 'access' ? 'Bearer' : 'refresh_token',
  };
}

/** RFC 7009: revokes a token of this client (a refresh token takes its grant with it); unknown is fine. */
export async function revokeToken(em: EntityManager, services: AppServices, query: TokenQuery): Promise<boolean> {
  const issuer = await resolveIssuer(em, services.publicUrl(), query.tenantId);
  const client = await authenticateClient(em, services.clients, query.client, issuer.organizationId);
  const { token } = query;
  if (!token) throw new InvalidRequest('token is required');
  if (token.length > MAX_TOKEN_LENGTH) return true;
  const hash = sha256Hex(token);
  const row = await findTokenByHash(em, hash) ?? await unwrittenElsewhere(services, token, hash, client, issuer.endpoints.issuer);
  if (!row || row.client_id !== client.id) return true;
  if (row.kind === 'refresh') {
    await revokeGrant(em, row.grant_id);
  } else {
    await revokeAccessToken(em, row);
    markUnwrittenRevoked(em, hash);
  }
  return true;
}

/** How long after its issue another process may not have written a client's token yet (token-write-behind.ts). */
const UNWRITTEN_MS = 1000;
const LOOK_AGAIN_MS = 20;

const issuedAtMs = (token: string): number | undefined => {
  try {
    const { iat } = decodeJwt(token);
    return typeof iat === 'number' ? iat * 1000 : undefined;
  } catch { return undefined; }
};

/** A token's row; a token issued in the last second by another process is looked for again until it is written. */
async function findFreshToken(em: EntityManager, token: string): Promise<TokenRow | undefined> {
  const hash = sha256Hex(token);
  let row = await findTokenByHash(em, hash);
  const issuedAt = row ? undefined : issuedAtMs(token);
  // iat has whole seconds: the token may be up to a second older than it says.
  while (!row && issuedAt !== undefined && Date.now() < issuedAt + 1000 + UNWRITTEN_MS) {
    await new Promise((resolve) => setTimeout(resolve, LOOK_AGAIN_MS));
    row = await findTokenByHash(em, hash);
  }
  return row;
}

/**
 * The row of a token this client holds that is in no table yet: an access token we signed for it
 * within the last minute (another process writes it a moment after answering). Anything else is
 * unknown, and stays so: nothing is written for a value we did not sign.
 */
async function unwrittenElsewhere(services: AppServices, token: string, hash: string, client: OAuthClient, issuer: string): Promise<TokenRow | undefined> {
  const issuedAt = issuedAtMs(token);
  if (issuedAt === undefined || issuedAt < Date.now() - 60_000) return undefined;
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    const jwk = kid ? await services.keys.publicJwk(kid) : undefined;
    if (!jwk || alg !== 'ES256' || jwk.alg !== 'ES256') return undefined;
    const claims = JSON.parse(new TextDecoder().decode((await compactVerify(token, await importJWK(jwk, 'ES256'))).payload));
    if (claims.iss !== issuer || claims.client_id !== client.clientId || claims.sub !== client.clientId
      || typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now() || typeof claims.scope !== 'string') return undefined;
    return {
      token_hash: hash, kind: 'access', grant_id: crypto.randomUUID(), organization_id: client.organization.id, client_id: client.id,
      wire_client_id: client.clientId, person_id: null, issuer, scope: claims.scope, auth_time: null, sid: null,
      issued_at: new Date(issuedAt), expires_at: new Date(claims.exp * 1000), used_at: null, revoked_at: null, authentication: null,
    };
  } catch {
    return undefined;
  }
}
