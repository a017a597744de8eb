// Data access for SAML providers. Rules live in saml-provider.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SamlProvider } from './saml-provider.entity.ts';

export function findSamlProvidersOf(em: EntityManager, organizationId: string): Promise<SamlProvider[]> {
  return em.find(SamlProvider, { organization: organizationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export function countSamlProvidersOf(em: EntityManager, organizationId: string): Promise<number> {
  return em.count(SamlProvider, { organization: organizationId });
}

export function findSamlProvider(em: EntityManager, organizationId: string, id: string): Promise<SamlProvider | null> {
  return em.findOne(SamlProvider, { organization: organizationId, id });
}

export function deleteSamlProviderOf(em: EntityManager, organizationId: string, id: string): Promise<number> {
  return em.nativeDelete(SamlProvider, { organization: organizationId, id });
}
