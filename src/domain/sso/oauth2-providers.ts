// GitHub and Bitbucket: OAuth 2.0 providers without OpenID Connect (no discovery, no ID token).
// Their endpoints are fixed here and given to openid-client as built-in metadata; the person is
// who the provider's user API says the access token belongs to, with the primary email and the
// verified flag as the provider states it. `options[provider].test_base_url` moves every endpoint
// to a fake on loopback, and only when SSO_ALLOW_HTTP_LOOPBACK is set: in production the
// endpoints are the providers' own, whatever the options say.
import { ValidationFailed } from '../errors.ts';
import type { SsoSettings } from '../services.ts';
import type { OidcProviderName, ProviderMetadata } from './oidc-credential.entity.ts';

/** The credentials' `options[provider]`. */
type ProviderOptions = Record<string, unknown>;

export interface OAuth2Profile {
  subject: string;
  email?: string;
  emailVerified: boolean;
}

interface OAuth2Provider {
  /** The web origin (authorization and token endpoints) and the API origin, in production. */
  web: string;
  api: string;
  authorizePath: string;
  tokenPath: string;
  tokenAuth: 'client_secret_post' | 'client_secret_basic';
  /** S256 PKCE accepted (GitHub since 2025-07; Bitbucket Cloud documents none). */
  pkce: boolean;
  /** The user API: subject, primary email and its verified flag. */
  profile: (get: (path: string) => Promise<unknown>) => Promise<OAuth2Profile>;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined);

export const OAUTH2_PROVIDERS: Partial<Record<OidcProviderName, OAuth2Provider>> = {
  // docs.github.com: GET /user (`id`, numeric and stable; `login` can change), GET /user/emails
  // ([{ email, primary, verified }], needs the user:email scope).
  github: {
    web: 'https://github.com', api: 'https://api.github.com', authorizePath: '/login/oauth/authorize',
    tokenPath: '/login/oauth/access_token', tokenAuth: 'client_secret_post', pkce: true,
    async profile(get) {
      const user = obj(await get('/user'));
      const emails = await get('/user/emails');
      const primary = (Array.isArray(emails) ? emails : []).map(obj).find((e) => e.primary === true);
      return { subject: str(user.id) ?? '', email: str(primary?.email), emailVerified: primary?.verified === true };
    },
  },
  // developer.atlassian.com (Bitbucket Cloud REST 2.0): GET /2.0/user (`uuid`), GET /2.0/user/emails
  // (paginated `values`: [{ email, is_primary, is_confirmed }]).
  bitbucket: {
    web: 'https://bitbucket.org', api: 'https://api.bitbucket.org', authorizePath: '/site/oauth2/authorize',
    tokenPath: '/site/oauth2/access_token', tokenAuth: 'client_secret_basic', pkce: false,
    async profile(get) {
      const user = obj(await get('/2.0/user'));
      const values = obj(await get('/2.0/user/emails')).values;
      const primary = (Array.isArray(values) ? values : []).map(obj).find((e) => e.is_primary === true);
      return { subject: str(user.uuid) ?? '', email: str(primary?.email), emailVerified: primary?.is_confirmed === true };
    },
  },
};

export const isOAuth2Provider = (provider: OidcProviderName) => OAUTH2_PROVIDERS[provider] !== undefined;
export const oauth2UsesPkce = (provider: OidcProviderName) => OAUTH2_PROVIDERS[provider]?.pkce === true;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The fake's origin for tests, or null; refused when set where it may not be. */
function testBaseUrl(provider: OidcProviderName, options: ProviderOptions, settings: Pick<SsoSettings, 'allowHttpLoopback'>): string | null {
  const raw = options.test_base_url;
  if (raw === undefined || raw === null) return null;
  let url: URL | null = null;
  try { url = typeof raw === 'string' ? new URL(raw) : null; } catch { url = null; }
  if (!settings.allowHttpLoopback || !url || !LOOPBACK.has(url.hostname) || !/^https?:$/.test(url.protocol) || url.username || url.password) {
    const msg = 'is accepted only on a loopback address while SSO_ALLOW_HTTP_LOOPBACK is set (tests and development)';
    throw new ValidationFailed(`options.${provider}.test_base_url ${msg}`, [{ loc: ['body', 'options', provider, 'test_base_url'], msg, type: 'value_error' }]);
  }
  return url.origin;
}

/** Checks the options of an OAuth 2.0 provider (at create and update time). */
export function assertOAuth2Options(provider: OidcProviderName, options: ProviderOptions, settings: Pick<SsoSettings, 'allowHttpLoopback'>) {
  if (isOAuth2Provider(provider)) testBaseUrl(provider, options, settings);
}

/** openid-client metadata for an OAuth 2.0 provider: its fixed endpoints, no discovery. */
export function oauth2Metadata(provider: OidcProviderName, options: ProviderOptions, settings: Pick<SsoSettings, 'allowHttpLoopback'>): ProviderMetadata {
  const p = OAUTH2_PROVIDERS[provider]!;
  const web = testBaseUrl(provider, options, settings) ?? p.web;
  return {
    issuer: web, authorization_endpoint: `${web}${p.authorizePath}`, token_endpoint: `${web}${p.tokenPath}`,
    token_endpoint_auth_methods_supported: [p.tokenAuth],
    ...(p.pkce ? { code_challenge_methods_supported: ['S256'] } : {}),
  };
}

const MAX_API_BYTES = 256 * 1024;

/** The person behind `accessToken`, from the provider's user API; throws Error with a reason that names no secret. */
export async function fetchOAuth2Profile(provider: OidcProviderName, options: ProviderOptions, accessToken: string, settings: SsoSettings): Promise<OAuth2Profile> {
  const p = OAUTH2_PROVIDERS[provider]!;
  const api = testBaseUrl(provider, options, settings) ?? p.api;
  const get = async (path: string): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${api}${path}`, {
        // GitHub refuses API calls without a User-Agent.
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'user-agent': 'idgraph' },
        redirect: 'error', signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      throw new Error(`its user API did not answer (${(error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable'})`);
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`its user API answered HTTP ${response.status} to ${path}`);
    if (text.length > MAX_API_BYTES) throw new Error(`its user API answer to ${path} is too large`);
    try { return JSON.parse(text) as unknown; } catch { throw new Error(`its user API answer to ${path} is not JSON`); }
  };
  return p.profile(get);
}
