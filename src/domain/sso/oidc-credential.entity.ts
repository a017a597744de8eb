import { defineEntity, p } from '@mikro-orm/core';
import { organizationCredentials } from '../entity-properties.ts';

/**
 * The upstream OpenID providers SlashID names (`OAuthProvider`), plus `oidc`: any OpenID provider
 * found by discovery from the issuer URL in `options.oidc.issuer`.
 */
export const OIDC_PROVIDERS = ['google', 'github', 'bitbucket', 'gitlab', 'facebook', 'line', 'azuread', 'okta', 'apple', 'oidc'] as const;
export type OidcProviderName = (typeof OIDC_PROVIDERS)[number];

/** An upstream provider's metadata as discovered (RFC 8414 / OIDC Discovery), or built in for OAuth-only ones. */
export type ProviderMetadata = Record<string, unknown> & { issuer: string };

/**
 * An organization's client at an upstream OpenID provider (SlashID "OIDC provider credentials for
 * SSO"), addressed by its `client_id`. The client secret is sealed under the master key (the row id
 * as associated data) and never leaves the server; `metadata` caches the provider's discovery
 * document, fetched again when the credentials change or it grows old.
 */
export const SsoOidcCredentialSchema = defineEntity({
  name: 'SsoOidcCredential',
  properties: organizationCredentials({
    provider: p.enum([...OIDC_PROVIDERS]),
    clientId: p.string().length(255),
    label: p.string().length(255).default(''),
    sealedSecret: p.text(),
    options: p.json<Record<string, unknown>>().default('{}'),
    externalCredId: p.string().length(64).nullable(),
    /** `enable_in_slashid_oidc_authz_server`: offered as "Continue with …" on the hosted sign-in page. */
    enableInAuthzServer: p.boolean().default(false),
    metadata: p.json<ProviderMetadata>().nullable(),
    metadataFetchedAt: p.datetime().nullable(),
  }),
  uniques: [{ properties: ['organization', 'clientId'] }],
});

export class SsoOidcCredential extends SsoOidcCredentialSchema.class {}
SsoOidcCredentialSchema.setClass(SsoOidcCredential);
