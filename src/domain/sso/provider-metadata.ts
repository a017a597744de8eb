// An upstream provider's discovery document: fetched with a time limit, kept on the credentials'
// row (so every process shares it) and fetched again when the credentials change (the row's
// metadata is cleared then) or after METADATA_MAX_AGE_MS. Only https URLs are fetched, or
// http://127.0.0.1 / localhost when SSO_ALLOW_HTTP_LOOPBACK is set (development and tests); never a
// private or loopback address otherwise (upstream-address.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequest, ServiceUnavailable, ValidationFailed } from '../errors.ts';
import type { SsoSettings } from '../services.ts';
import type { ProviderMetadata, SsoOidcCredential } from './oidc-credential.entity.ts';
import { brokeringRefusal, optionsFor, PROVIDERS } from './oidc-providers.ts';
import { isOAuth2Provider, oauth2Metadata } from './oauth2-providers.ts';
import { assertPublicUpstream, isForbiddenUpstreamHost } from './upstream-address.ts';

export const METADATA_MAX_AGE_MS = 24 * 3600 * 1000;
const MAX_METADATA_BYTES = 256 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Refuses a URL idgraph may not call: not https (nor http on loopback where allowed), or with credentials. */
export function assertUpstreamUrl(raw: string, settings: Pick<SsoSettings, 'allowHttpLoopback'>, loc: string[] = ['body', 'options']): URL {
  let url: URL;
  try { url = new URL(raw); } catch { throw new ValidationFailed(`${loc.slice(1).join('.')} is not a URL`, [{ loc, msg: 'invalid URL', type: 'value_error.url' }]); }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && settings.allowHttpLoopback && LOOPBACK.has(url.hostname));
  if (!ok || url.username || url.password || raw.length > 2048 || isForbiddenUpstreamHost(url.hostname, settings.allowHttpLoopback)) {
    throw new ValidationFailed(`${loc.slice(1).join('.')} must be an https URL of a public host`, [{ loc, msg: 'must be an https URL of a public host', type: 'value_error.url' }]);
  }
  return url;
}

/** Where the credentials' provider publishes its discovery document (checked); null for OAuth-only providers. */
export function discoveryUrlOf(credential: Pick<SsoOidcCredential, 'provider' | 'options'>, settings: Pick<SsoSettings, 'allowHttpLoopback'>): URL | null {
  const info = PROVIDERS[credential.provider];
  if (!info.discoveryUrl) return null;
  return assertUpstreamUrl(info.discoveryUrl(optionsFor(credential.provider, credential.options)), settings, ['body', 'options', credential.provider]);
}

/** GET a JSON document of an upstream provider, within the time limit. */
export async function fetchUpstreamJson(url: URL, settings: SsoSettings): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    await assertPublicUpstream(url, settings.allowHttpLoopback);
  } catch (error) {
    throw new ServiceUnavailable(`The identity provider's address is not reachable from here (${(error as Error).message})`, 5);
  }
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(settings.timeoutMs) });
  } catch (error) {
    throw new ServiceUnavailable(`The identity provider did not answer (${(error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable'})`, 5);
  }
  const text = await response.text();
  if (!response.ok || text.length > MAX_METADATA_BYTES) throw new ServiceUnavailable(`The identity provider's discovery document could not be read (HTTP ${response.status})`, 5);
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch { /* answered below */ }
  throw new ServiceUnavailable('The identity provider\'s discovery document is not JSON', 5);
}

function expectedIssuerOf(credential: Pick<SsoOidcCredential, 'provider' | 'options'>): string | null {
  const options = optionsFor(credential.provider, credential.options);
  const value = credential.provider === 'oidc' ? options.issuer : credential.provider === 'okta' ? options.organization_url : undefined;
  return typeof value === 'string' ? value.replace(/\/+$/, '') : null;
}

/** The credentials' provider metadata, from the row while fresh, else discovered (and stored). */
export async function providerMetadataOf(em: EntityManager, credential: SsoOidcCredential, settings: SsoSettings): Promise<ProviderMetadata> {
  const refusal = brokeringRefusal(credential.provider);
  if (refusal) throw new BadRequest(refusal);
  // OAuth 2.0 providers: built-in endpoints, nothing to discover or keep.
  if (isOAuth2Provider(credential.provider)) return oauth2Metadata(credential.provider, optionsFor(credential.provider, credential.options), settings);
  const fresh = credential.metadata && credential.metadataFetchedAt && Date.now() - credential.metadataFetchedAt.getTime() < METADATA_MAX_AGE_MS;
  if (fresh) return credential.metadata!;
  const url = discoveryUrlOf(credential, settings)!;
  const document = await fetchUpstreamJson(url, settings);
  const required = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'];
  const missing = required.filter((name) => typeof document[name] !== 'string');
  if (missing.length) throw new ServiceUnavailable(`The identity provider's discovery document lacks ${missing.join(', ')}`, 5);
  // Where the organization named the issuer itself, the document must be that issuer's (no mix-up).
  const named = expectedIssuerOf(credential);
  if (named && String(document.issuer).replace(/\/+$/, '') !== named) {
    throw new ServiceUnavailable(`The identity provider's discovery document names issuer "${String(document.issuer).slice(0, 200)}", not ${named}`, 5);
  }
  for (const name of [...required, 'userinfo_endpoint', 'revocation_endpoint']) {
    if (document[name] !== undefined) assertUpstreamUrl(String(document[name]), settings, ['metadata', name]);
  }
  credential.metadata = document as ProviderMetadata;
  credential.metadataFetchedAt = new Date();
  await em.flush();
  return credential.metadata;
}
