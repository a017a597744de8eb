// idgraph as a relying party of an upstream OpenID provider, through openid-client (v6): a
// Configuration built from the credentials' stored metadata and unsealed secret. One is kept per
// credentials version in process memory, so the provider's JWKS (which openid-client caches per
// Configuration) is not fetched at every sign-in; a change of the credentials or of the metadata
// makes a new key, so a stale entry is never used.
import * as oidc from 'openid-client';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sealer } from '../../crypto/sealed.ts';
import type { SsoSettings } from '../services.ts';
import type { SsoOidcCredential } from './oidc-credential.entity.ts';
import { clientSecretOf } from './oidc-credential.service.ts';
import { providerMetadataOf } from './provider-metadata.ts';
import { guardedFetch } from './upstream-address.ts';

const MAX_CACHED = 200;
const configurations = new Map<string, oidc.Configuration>();

export async function upstreamConfiguration(em: EntityManager, credential: SsoOidcCredential, sealer: Sealer, settings: SsoSettings) {
  const metadata = await providerMetadataOf(em, credential, settings);
  const key = `${credential.id}|${credential.updatedAt.getTime()}|${credential.metadataFetchedAt?.getTime()}`;
  let config = configurations.get(key);
  if (!config) {
    const auth = upstreamClientAuth(metadata, clientSecretOf(sealer, credential));
    config = new oidc.Configuration(metadata as oidc.ServerMetadata, credential.clientId, undefined, auth);
    config.timeout = Math.max(1, Math.ceil(settings.timeoutMs / 1000));
    if (settings.allowHttpLoopback) oidc.allowInsecureRequests(config);
    // Token, JWKS, userinfo and revocation requests: never to a private address (SSRF).
    config[oidc.customFetch] = guardedFetch(settings.allowHttpLoopback) as never;
    // openid-client trusts an ID token from the token endpoint on TLS alone unless told otherwise:
    // verify its signature against the provider's JWKS too.
    oidc.enableNonRepudiationChecks(config);
    if (configurations.size >= MAX_CACHED) configurations.delete(configurations.keys().next().value!);
    configurations.set(key, config);
  }
  return config;
}

/** client_secret_basic unless the provider lists only client_secret_post. */
function upstreamClientAuth(metadata: Record<string, unknown>, secret: string): oidc.ClientAuth {
  const methods = Array.isArray(metadata.token_endpoint_auth_methods_supported) ? metadata.token_endpoint_auth_methods_supported : [];
  return methods.length && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
    ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);
}

export { oidc };
