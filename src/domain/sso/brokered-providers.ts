// The upstream providers the hosted sign-in page offers as "Continue with <label>": every set of
// SSO credentials of the organization with `enable_in_slashid_oidc_authz_server`. Each kind of
// SSO (OIDC here, SAML beside it) adds its source to BROKERED_PROVIDER_SOURCES.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UpstreamKind } from './upstream-identity.entity.ts';
import { findBrokeredOidcCredentials } from './oidc-credential.queries.ts';
import { providerDisplayName } from './oidc-providers.ts';
import { findBrokeredSamlProviders } from './saml/saml-provider.queries.ts';

export interface BrokeredProvider {
  kind: UpstreamKind;
  /** The id the start of the sign-in names (the OIDC credentials' or SAML credentials' row id). */
  id: string;
  /** What the button says after "Continue with ". */
  label: string;
}

export type BrokeredProviderSource = (em: EntityManager, organizationId: string) => Promise<BrokeredProvider[]>;

const oidcProviders: BrokeredProviderSource = async (em, organizationId) =>
  (await findBrokeredOidcCredentials(em, organizationId)).map((c) => ({
    kind: 'oidc' as const, id: c.id, label: c.label || providerDisplayName(c.provider),
  }));

const samlProviders: BrokeredProviderSource = async (em, organizationId) =>
  (await findBrokeredSamlProviders(em, organizationId)).map((p) => ({ kind: 'saml' as const, id: p.id, label: p.label || p.idpEntityId }));

/** One source per kind of SSO. */
export const BROKERED_PROVIDER_SOURCES: BrokeredProviderSource[] = [oidcProviders, samlProviders];

/** At most this many buttons: the page is a sign-in page, not a directory. */
export const MAX_BROKERED_PROVIDERS = 20;

export async function brokeredProvidersOf(em: EntityManager, organizationId: string): Promise<BrokeredProvider[]> {
  const out: BrokeredProvider[] = [];
  // One after the other: the sources share the request's entity manager.
  for (const source of BROKERED_PROVIDER_SOURCES) out.push(...await source(em, organizationId));
  return out.slice(0, MAX_BROKERED_PROVIDERS);
}
