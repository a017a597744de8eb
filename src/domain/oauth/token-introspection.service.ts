// Introspection (RFC 7662) and revocation (RFC 7009) by an authenticated client at its issuer.
// A client sees only tokens of its organization issued by this issuer; it revokes only its own.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../services.ts';
import { findTokenByHash, revokeGrant, revokeToken as revokeTokenRow, type TokenRow } from './oauth.queries.ts';
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
  const row = token.length <= MAX_TOKEN_LENGTH ? await findTokenByHash(em, sha256Hex(token)) : undefined;
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
  const row = await findTokenByHash(em, hash);
  if (!row || row.client_id !== client.id) return true;
  if (row.kind === 'refresh') await revokeGrant(em, row.grant_id);
  else await revokeTokenRow(em, hash);
  return true;
}
