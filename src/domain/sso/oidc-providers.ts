// What idgraph knows of each upstream provider SlashID names: where its discovery document is (from
// the credentials' `options` where the provider is per customer), the scopes always asked, and
// whether it can broker a sign-in at all. GitHub and Bitbucket speak OAuth 2.0 without OpenID
// Connect (no ID token, no discovery): they broker through their user APIs (oauth2-providers.ts).
import { ValidationFailed } from '../errors.ts';
import type { OidcProviderName } from './oidc-credential.entity.ts';
import { isOAuth2Provider } from './oauth2-providers.ts';

interface ProviderInfo {
  display: string;
  /** Always requested (SlashID's OAuthProvidersOptions descriptions). */
  scopes: string[];
  /** Null: OAuth 2.0 only, no discovery (the endpoints are built in: oauth2-providers.ts). */
  discoveryUrl: ((options: ProviderOptions) => string) | null;
}

/** The credentials' `options` for this provider (`options[provider]`), as SlashID nests them. */
export type ProviderOptions = Record<string, unknown>;

const wellKnown = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
const AZURE_MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);

function stringOption(options: ProviderOptions, provider: string, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || !value) {
    throw new ValidationFailed(`options.${provider}.${name} is required for ${provider}`, [{ loc: ['body', 'options', provider, name], msg: 'field required', type: 'value_error.missing' }]);
  }
  return value;
}

export const PROVIDERS: Record<OidcProviderName, ProviderInfo> = {
  google: { display: 'Google', scopes: ['openid', 'email', 'profile'], discoveryUrl: () => wellKnown('https://accounts.google.com') },
  gitlab: { display: 'GitLab', scopes: ['openid', 'email', 'profile', 'read_user'], discoveryUrl: () => wellKnown('https://gitlab.com') },
  facebook: { display: 'Facebook', scopes: ['openid', 'email', 'public_profile'], discoveryUrl: () => 'https://www.facebook.com/.well-known/openid-configuration/' },
  line: { display: 'LINE', scopes: ['openid', 'email', 'profile'], discoveryUrl: () => wellKnown('https://access.line.me') },
  apple: { display: 'Apple', scopes: ['openid', 'email', 'name'], discoveryUrl: () => wellKnown('https://appleid.apple.com') },
  azuread: {
    display: 'Microsoft', scopes: ['openid', 'email', 'profile', 'User.Read'],
    discoveryUrl: (o) => {
      const tenant = typeof o.tenant === 'string' && o.tenant ? o.tenant : 'common';
      if (AZURE_MULTI_TENANT.has(tenant)) {
        // Multi-tenant metadata names no single issuer ({tenantid}): ID tokens could not be checked against it.
        throw new ValidationFailed(`azuread sign-in needs options.azuread.tenant set to your directory (tenant id or domain), not "${tenant}"`,
          [{ loc: ['body', 'options', 'azuread', 'tenant'], msg: 'a single tenant is required', type: 'value_error' }]);
      }
      if (!/^[A-Za-z0-9.-]{1,128}$/.test(tenant)) throw new ValidationFailed('options.azuread.tenant must be a tenant id or domain');
      return wellKnown(`https://login.microsoftonline.com/${tenant}/v2.0`);
    },
  },
  okta: { display: 'Okta', scopes: ['openid', 'email', 'profile'], discoveryUrl: (o) => wellKnown(stringOption(o, 'okta', 'organization_url')) },
  oidc: { display: 'OpenID Connect', scopes: ['openid', 'email', 'profile'], discoveryUrl: (o) => wellKnown(stringOption(o, 'oidc', 'issuer')) },
  github: { display: 'GitHub', scopes: ['read:user', 'user:email'], discoveryUrl: null },
  bitbucket: { display: 'Bitbucket', scopes: ['account', 'email'], discoveryUrl: null },
};

export const providerDisplayName = (provider: OidcProviderName) => PROVIDERS[provider].display;

/** The provider's own options out of the credentials' `options` (`{ google: {...} }`). */
export function optionsFor(provider: OidcProviderName, options: Record<string, unknown> | null | undefined): ProviderOptions {
  const own = options?.[provider];
  return own && typeof own === 'object' && !Array.isArray(own) ? own as ProviderOptions : {};
}

/** Whether the provider can broker a sign-in (an OpenID provider, or GitHub / Bitbucket), with the reason when not. */
export function brokeringRefusal(provider: OidcProviderName): string | null {
  return PROVIDERS[provider].discoveryUrl || isOAuth2Provider(provider) ? null
    : `${PROVIDERS[provider].display} is an OAuth 2.0 provider without OpenID Connect (no ID token to verify): it cannot be offered for sign-in (enable_in_slashid_oidc_authz_server)`;
}

/** The scopes asked upstream: the provider's fixed ones plus `options[provider].authorize_scopes`. */
export function scopesFor(provider: OidcProviderName, options: ProviderOptions): string[] {
  const extra = Array.isArray(options.authorize_scopes) ? options.authorize_scopes.filter((s): s is string => typeof s === 'string') : [];
  return [...new Set([...PROVIDERS[provider].scopes, ...extra])].filter((s) => /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/.test(s));
}
