// The upstream identity provider of the SSO tests: panva's oidc-provider (in this process, on
// loopback) with its dev interactions (any login, then consent), a few accounts, revocation and
// introspection; and the walk of a browser through its login and consent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import { Browser } from '../oidc/browser.ts';

export const UPSTREAM_CLIENT = { id: 'idgraph-at-upstream', secret: 'upstream-secret-for-idgraph-0123456789' };

/** The accounts: login name → claims. */
export const ACCOUNTS: Record<string, { email: string; email_verified: boolean }> = {
  ada: { email: 'ada@corp.example', email_verified: true },
  newbie: { email: 'newbie@corp.example', email_verified: true },
  mallory: { email: 'victim@corp.example', email_verified: false },
  unverified: { email: 'fresh@corp.example', email_verified: false },
};

export interface UpstreamOp {
  issuer: string;
  provider: unknown;
  close: () => Promise<void>;
}

export async function startUpstreamOp(redirectUris: string[]): Promise<UpstreamOp> {
  // Its remaining warnings (dev interactions, in-memory adapter: the point of a test provider) are not news.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => { if (!/devInteractions|in-memory adapter/.test(String(args[0]))) warn(...args); };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [{
      client_id: UPSTREAM_CLIENT.id, client_secret: UPSTREAM_CLIENT.secret, redirect_uris: redirectUris,
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'upstream-rs256' }] },
    cookies: { keys: ['upstream-cookie-key-for-tests'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    findAccount: async (_ctx: unknown, id: string) => (ACCOUNTS[id]
      ? { accountId: id, claims: async () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined),
    // Set explicitly, so oidc-provider does not print a notice per default it uses.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600, RefreshToken: 3600 },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true, allowedPolicy: async () => true },
      introspection: { enabled: true, allowedPolicy: async () => true },
    },
  } as never);
  console.warn = warn;
  provider.on('server_error', (_ctx: unknown, error: Error) => process.stderr.write(`oidc-provider: ${error.message}\n`));
  server.on('request', provider.callback());
  return { issuer, provider, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Walks the upstream from its authorization URL: login as `login`, consent, until it redirects elsewhere. */
export async function walkUpstream(browser: Browser, op: UpstreamOp, authorizationUrl: string, login: string): Promise<string> {
  let url = authorizationUrl;
  for (let step = 0; step < 12; step++) {
    if (!url.startsWith(op.issuer)) return url;
    const r = await browser.request(url);
    if (r.status >= 300 && r.status < 400) { url = new URL(r.location!, url).href; continue; }
    if (r.status !== 200) throw new Error(`upstream ${url}: ${r.status} ${r.html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(r.html)?.[1];
    if (!action) throw new Error(`upstream page without a form: ${r.html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(r.html)?.[1] ?? 'consent';
    const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt: 'consent' };
    const posted = await browser.request(new URL(action, url), { form });
    if (posted.status < 300 || posted.status >= 400) throw new Error(`upstream ${prompt}: ${posted.status} ${posted.html.slice(0, 300)}`);
    url = new URL(posted.location!, url).href;
  }
  throw new Error('upstream walk did not end');
}

/** RFC 7662 at the upstream: is this token still active there? */
export async function activeUpstream(op: UpstreamOp, token: string): Promise<boolean> {
  const response = await fetch(`${op.issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${UPSTREAM_CLIENT.id}:${UPSTREAM_CLIENT.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token }).toString(),
  });
  return ((await response.json()) as { active: boolean }).active;
}
