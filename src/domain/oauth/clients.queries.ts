// Data access for OAuth clients. Rules live in clients.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { OAuthClient } from './oauth-client.entity.ts';

export function findClientByClientId(em: EntityManager, clientId: string): Promise<OAuthClient | null> {
  if (clientId.length > 128) return Promise.resolve(null);
  return em.findOne(OAuthClient, { clientId });
}

export function findClientsOf(em: EntityManager, organizationId: string, offset: number, limit: number) {
  return em.find(OAuthClient, { organization: organizationId }, {
    orderBy: { createdAt: 'asc', id: 'asc' }, offset, limit,
  });
}

/**
 * Clients as the token, introspection and revocation endpoints see them: read-only snapshots kept
 * for a moment so that a burst of requests from one client costs one query. Changes made by this
 * process are seen at once (`forgetClient`); changes by another process within CACHE_MS.
 */
const CACHE_MS = 2000;
const authCache = new Map<string, { client: OAuthClient; at: number }>();

export async function findClientForAuth(em: EntityManager, clientId: string): Promise<OAuthClient | null> {
  const hit = authCache.get(clientId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.client;
  const client = await findClientByClientId(em, clientId);
  if (client) {
    if (authCache.size > 10_000) authCache.clear();
    authCache.set(clientId, { client, at: Date.now() });
  } else {
    authCache.delete(clientId);
  }
  return client;
}

export function forgetClient(clientId: string) {
  authCache.delete(clientId);
}
