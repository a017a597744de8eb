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

/** The providers offered on the hosted login page (enable_in_slashid_oidc_authz_server), oldest first. */
export function findBrokeredSamlProviders(em: EntityManager, organizationId: string): Promise<SamlProvider[]> {
  return em.find(SamlProvider, { organization: organizationId, enableInOidcAuthzServer: true },
    { orderBy: { createdAt: 'asc', id: 'asc' }, fields: ['id', 'label', 'idpEntityId'] as never });
}
