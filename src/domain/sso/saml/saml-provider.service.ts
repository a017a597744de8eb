// SlashID "SAML provider credentials" (endpoint table 1, rows 3–7): an organization's SAML
// identity providers. The metadata is fetched when the credentials are created or their URL is
// given again, checked (entityID, redirect SSO URL, signing certificate), and kept in the row:
// the sign-in reads that copy, refetched when older than METADATA_MAX_AGE_MS.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SamlProvider } from './saml-provider.entity.ts';
import { assertMetadataUrl, fetchMetadata, parseIdpMetadata } from './idp-metadata.ts';
import type { Organization } from '../../organization/organization.entity.ts';
import { assertRoomForOneMore } from '../../organization/organization-limit.ts';
import { deleteRowsOf } from '../../organization/organization-rows.queries.ts';
import { ownedRows } from '../../organization/owned-rows.ts';
import { NotFound, ValidationFailed } from '../../errors.ts';
import { timeOrderedUuid } from '../../ids.ts';
import type { SamlProviderChange, SamlProviderInput } from '../../schema-types.generated.ts';

export const MAX_LABEL_LENGTH = 255;
export const MAX_EMAIL_CLAIMS = 3;
export const MAX_CLAIM_LENGTH = 256;
export const MAX_SAML_PROVIDERS = 50;
/** A cached metadata copy older than this is refetched at sign-in (kept when the refetch fails). */
export const METADATA_MAX_AGE_MS = 24 * 3600 * 1000;


const notFound = (id: string) => new NotFound(`No SAML provider credentials with id "${id.slice(0, 64)}" in this organization`);
const invalid = (field: string, message: string) =>
  new ValidationFailed(message, [{ loc: ['body', field], msg: message, type: 'value_error' }]);

function assertLabel(label: string | null | undefined) {
  if (label != null && label.length > MAX_LABEL_LENGTH) throw invalid('label', `label must be at most ${MAX_LABEL_LENGTH} characters`);
}

function checkedClaims(claims: string[] | null | undefined): string[] | undefined {
  if (claims == null) return undefined;
  if (claims.length > MAX_EMAIL_CLAIMS) throw invalid('email_claims', `email_claims holds at most ${MAX_EMAIL_CLAIMS} names`);
  for (const claim of claims) {
    if (!claim.trim() || claim.length > MAX_CLAIM_LENGTH || /[\u0000-\u001f]/.test(claim)) {
      throw invalid('email_claims', `email_claims must be attribute names of 1 to ${MAX_CLAIM_LENGTH} printable characters`);
    }
  }
  return [...new Set(claims)];
}

/** Fetches and checks the metadata at `url`: what the row keeps of it. */
async function loadMetadata(url: string, allowLoopback: boolean) {
  const xml = await fetchMetadata(url, allowLoopback);
  const parsed = parseIdpMetadata(xml);
  return { idpMetadata: xml, idpEntityId: parsed.entityId, metadataFetchedAt: new Date() };
}

/** The organization's SAML providers: `list`, `get` (NotFound when there is none). */
export const samlProviders = ownedRows(SamlProvider, notFound);

export async function createSamlProvider(
  em: EntityManager, org: Organization, input: SamlProviderInput, allowLoopback: boolean,
): Promise<SamlProvider> {
  assertLabel(input.label);
  const emailClaims = checkedClaims(input.emailClaims) ?? [];
  const url = assertMetadataUrl(input.idpMetadataUrl, allowLoopback);
  // Fetched before any lock: a slow IdP holds no row of ours.
  const metadata = await loadMetadata(url, allowLoopback);
  await assertRoomForOneMore(em, org, { entity: SamlProvider, max: MAX_SAML_PROVIDERS, what: 'SAML provider credentials' });
  const provider = em.create(SamlProvider, {
    id: timeOrderedUuid(), organization: org, label: input.label ?? '', idpMetadataUrl: url, emailClaims,
    enableInOidcAuthzServer: input.enableInOidcAuthzServer ?? false, ...metadata,
  });
  await em.flush();
  return provider;
}

/** Absent fields stay; a given `idp_metadata_url` (even the same one) fetches the metadata again. */
export const updateSamlProvider = (em: EntityManager, org: Organization, id: string, change: SamlProviderChange, allowLoopback: boolean) =>
  samlProviders.update(em, org, id, async (provider) => {
    assertLabel(change.label);
    const emailClaims = checkedClaims(change.emailClaims);
    if (change.idpMetadataUrl != null) {
      const url = assertMetadataUrl(change.idpMetadataUrl, allowLoopback);
      Object.assign(provider, { idpMetadataUrl: url, ...await loadMetadata(url, allowLoopback) });
    }
    if (change.label != null) provider.label = change.label;
    if (emailClaims) provider.emailClaims = emailClaims;
    if (change.enableInOidcAuthzServer != null) provider.enableInOidcAuthzServer = change.enableInOidcAuthzServer;
  });

export async function deleteSamlProvider(em: EntityManager, org: Organization, id: string): Promise<boolean> {
  if (!(await deleteRowsOf(em, SamlProvider, org.id, id))) throw notFound(id);
  return true;
}

/**
 * The provider's metadata for a sign-in: the cached copy, refetched first when it is older than
 * METADATA_MAX_AGE_MS (a failed or unusable refetch keeps the old copy: the IdP may be briefly down).
 */
export async function freshMetadata(em: EntityManager, provider: SamlProvider, allowLoopback: boolean): Promise<string> {
  if (Date.now() - provider.metadataFetchedAt.getTime() > METADATA_MAX_AGE_MS) {
    try {
      Object.assign(provider, await loadMetadata(provider.idpMetadataUrl, allowLoopback));
      await em.flush();
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
    }
  }
  return provider.idpMetadata;
}
