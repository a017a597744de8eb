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
