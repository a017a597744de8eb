// The organization's upstream OpenID provider credentials (SlashID SSO OIDC provider credentials).
import type { EntityManager } from '@mikro-orm/postgresql';
import { SsoOidcCredential, type OidcProviderName } from './oidc-credential.entity.ts';

export function findOidcCredentialsOf(em: EntityManager, organizationId: string, provider?: OidcProviderName) {
  return em.find(SsoOidcCredential, { organization: organizationId, ...(provider ? { provider } : {}) }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export function findOidcCredentialByClientId(em: EntityManager, organizationId: string, clientId: string) {
  return em.findOne(SsoOidcCredential, { organization: organizationId, clientId });
}

export function findBrokeredOidcCredentials(em: EntityManager, organizationId: string) {
  return em.find(SsoOidcCredential, { organization: organizationId, enableInAuthzServer: true }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}
