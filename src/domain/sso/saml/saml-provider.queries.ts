// Data access for SAML providers. Rules live in saml-provider.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SamlProvider } from './saml-provider.entity.ts';

/** The providers offered on the hosted login page (enable_in_slashid_oidc_authz_server), oldest first. */
export function findBrokeredSamlProviders(em: EntityManager, organizationId: string): Promise<SamlProvider[]> {
  return em.find(SamlProvider, { organization: organizationId, enableInOidcAuthzServer: true },
    { orderBy: { createdAt: 'asc', id: 'asc' }, fields: ['id', 'label', 'idpEntityId'] as never });
}
