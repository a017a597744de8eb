// Data access for OAuth clients. Rules live in clients.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { OAuthClient } from './oauth-client.entity.ts';
import { InvalidatedRowCache } from '../../db/invalidated-row-cache.ts';

export function findClientByClientId(em: EntityManager, clientId: string): Promise<OAuthClient | null> {
  if (clientId.length > 128) return Promise.resolve(null);
  return em.findOne(OAuthClient, { clientId });
}

/** Records that the client was used now (a code redeemed). */
export async function recordClientUse(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(OAuthClient, { id }, { lastUsedAt: new Date() });
}

export function findClientsOf(em: EntityManager, organizationId: string, offset: number, limit: number) {
  return em.find(OAuthClient, { organization: organizationId }, {
    orderBy: { createdAt: 'asc', id: 'asc' }, offset, limit,
  });
}

/**
 * Clients as the token, introspection and revocation endpoints see them: read-only snapshots kept
 * for a moment, invalidated through the database (src/db/invalidated-row-cache.ts) by the
 * `oauth_client_notify` trigger (oauth-client.entity.ts).
 */
export class ClientCache extends InvalidatedRowCache<OAuthClient> {
  constructor(ttlMs = 2000) {
    super('oauth_client', findClientByClientId, ttlMs);
  }
}
