// The root issuer driven end to end by openid-client v6 (a certified RP library), including the
// hosted login form over HTTP. ID tokens are verified against the JWKS.
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { Browser, createPersonWithPassword, signInWithPassword, submitConsent, submitIdentifier, submitLogin } from './browser.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let personId: string;
let secret: string;
let config: client.Configuration;
const REDIRECT = 'https://rp.example/cb';
const LOGOUT = 'https://rp.example/bye';
const PASSWORD = 'correct horse battery staple';

async function vaultClient(org: TestOrg, body: Record<string, unknown>) {
  const r = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(org),
    json: { tenant_id: org.id, redirect_uris: [REDIRECT], post_logout_redirect_uri: [LOGOUT], ...body },
  });
  if (r.status !== 200) throw new Error(r.text);
  return r.body;
}

const discover = (clientId: string, auth: client.ClientAuth, metadata: Partial<client.ClientMetadata> = {}) =>
  client.discovery(new URL(server.url), clientId, metadata, auth, { execute: [client.allowInsecureRequests] });

interface Flow { verifier: string; state: string; nonce: string; url: URL }
async function startFlow(cfg: client.Configuration, extra: Record<string, string> = {}, scope = 'openid email profile offline_access'): Promise<Flow> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: REDIRECT, scope, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  return { verifier, state, nonce, url };
}

/** Authorize → login form (if shown) → consent (if shown) → the redirect back to the RP. */
async function signIn(browser: Browser, cfg: client.Configuration, extra: Record<string, string> = {}, scope?: string) {
  const flow = await startFlow(cfg, extra, scope);
  let r = await browser.request(flow.url);
  if (r.status === 200 && r.html.includes('name="handle"')) r = await signInWithPassword(browser, r.html, 'ada@example.com', PASSWORD);
  if (r.status === 200 && r.html.includes('name="decision"')) r = await submitConsent(browser, r.html, 'allow');
  expect([302, 303]).toContain(r.status);
  return { ...flow, location: new URL(r.location!) };
}

const redeem = (cfg: client.Configuration, f: { location: URL; verifier: string; state: string; nonce: string }) =>
  client.authorizationCodeGrant(cfg, f.location, { pkceCodeVerifier: f.verifier, expectedState: f.state, expectedNonce: f.nonce });

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  personId = await createPersonWithPassword(server, acme.id, [
    { type: 'email_address', value: 'ada@example.com' }, { type: 'username', value: 'ada' }], PASSWORD);
  const created = await vaultClient(acme, { client_id: 'rp-web', name: 'RP Web', allowed_scopes: ['openid', 'email', 'profile', 'offline_access'] });
  secret = created.client_secret;
  config = await discover('rp-web', client.ClientSecretPost(secret));
  client.enableNonRepudiationChecks(config);
});
afterAll(() => server.close());

async function verifyIdToken(idToken: string, audience: string) {
  const meta = config.serverMetadata();
  const jwks = createRemoteJWKSet(new URL(meta.jwks_uri!));
  return jwtVerify(idToken, jwks, { issuer: meta.issuer, audience });
}

describe('discovery and keys', () => {
  test('the discovery document names every endpoint under PUBLIC_URL', () => {
    const m = config.serverMetadata();
    expect(m.issuer).toBe(server.url);
    expect(m).toMatchObject({
      authorization_endpoint: `${server.url}/oauth2/authorize`, token_endpoint: `${server.url}/oauth2/tokens`,
      introspection_endpoint: `${server.url}/oauth2/tokens/introspect`, revocation_endpoint: `${server.url}/oauth2/tokens/revoke`,
      userinfo_endpoint: `${server.url}/oauth2/userinfo`, end_session_endpoint: `${server.url}/oauth2/logout`,
      jwks_uri: `${server.url}/.well-known/jwks.json`, code_challenge_methods_supported: ['S256'],
    });
  });

  test('the JWKS publishes RS256, ES256 and EdDSA keys with kids, no private parts; the database holds them encrypted', async () => {
    const r = await call(server.url, 'GET', '/.well-known/jwks.json');
    expect(r.body.keys.map((k: any) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
    for (const k of r.body.keys) {
      expect(k.kid).toBeTruthy();
      expect(k.d).toBeUndefined();
    }
    const rows = await server.sql('select private_jwk_encrypted as sealed from signing_key');
    for (const row of rows) {
      expect(row.sealed).toMatch(/^v1\./);
      expect(row.sealed).not.toMatch(/"d"/);
    }
  });
});

describe('authorization code + PKCE through the login form', () => {
  test('signs in, redeems the code, verifies the EdDSA ID token against the JWKS, reads userinfo by scope', async () => {
    const browser = new Browser();
    const first = await startFlow(config);
    const page = await browser.request(first.url);
    expect(page.status).toBe(200);
    expect(page.html).toContain('RP Web');
    // no external assets: the identifier step needs no script while passkeys are off; the methods
    // step links at most our own login script (when the PIN is offered)
    expect(page.html).not.toMatch(/<link|<script/);
    const methods = await submitIdentifier(browser, page.html, 'someone');
    expect(methods.html).not.toMatch(/<link/);
    for (const tag of methods.html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/^<script src="\/login\/zkp\.js\?v=[A-Za-z0-9_-]{22}" defer>$/);
    const setCookie = page.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    const wrong = await submitLogin(browser, page.html, 'ada@example.com', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('Wrong handle or password');
    const ok = await submitLogin(browser, wrong.html, 'ada@example.com', PASSWORD);
    expect(ok.status).toBe(303);
    const session = ok.headers.getSetCookie().join('\n');
    expect(session).toMatch(/idg_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);

    const tokens = await redeem(config, { ...first, location: new URL(ok.location!) });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTruthy();
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ sub: personId, aud: 'rp-web', nonce: first.nonce, iss: server.url });
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('EdDSA');
    const verified = await verifyIdToken(tokens.id_token!, 'rp-web');
    expect(verified.payload.sub).toBe(personId);

    const info = await client.fetchUserInfo(config, tokens.access_token, personId);
    expect(info).toMatchObject({ sub: personId, email: 'ada@example.com', username: 'ada' });
    expect(info.phone_number).toBeUndefined();
  });

  test('a signed-in browser skips the form; prompt=login and max_age=0 show it again', async () => {
    const browser = new Browser();
    await signIn(browser, config);
    const again = await startFlow(config);
    const r = await browser.request(again.url);
    expect(r.status).toBe(302);
    const tokens = await redeem(config, { ...again, location: new URL(r.location!) });
    expect(tokens.claims()!.sub).toBe(personId);
    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      const f = await startFlow(config, extra);
      await new Promise((res) => setTimeout(res, extra.max_age ? 1100 : 0));
      const shown = await browser.request(f.url);
      expect(shown.status).toBe(200);
      expect(shown.html).toContain('id="identifier-form"');
    }
  });

  test('prompt=none without a session redirects with login_required and the state', async () => {
    const f = await startFlow(config, { prompt: 'none' });
    const r = await new Browser().request(f.url);
    expect(r.status).toBe(302);
    const back = new URL(r.location!);
    expect(back.searchParams.get('error')).toBe('login_required');
    expect(back.searchParams.get('state')).toBe(f.state);
    await expect(redeem(config, { ...f, location: back })).rejects.toThrow(/login_required|authorization response/i);
  });

  test('a reused code is refused and revokes the tokens issued with it', async () => {
    const f = await signIn(new Browser(), config);
    const tokens = await redeem(config, f);
    await expect(redeem(config, f)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a wrong PKCE verifier is refused (and the code is spent)', async () => {
    const f = await signIn(new Browser(), config);
    await expect(redeem(config, { ...f, verifier: client.randomPKCECodeVerifier() })).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(redeem(config, f)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a missing PKCE verifier is refused', async () => {
    const f = await signIn(new Browser(), config);
    const r = await fetch(`${server.url}/oauth2/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: f.location.searchParams.get('code')!, redirect_uri: REDIRECT, client_id: 'rp-web', client_secret: secret }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.json()).toMatchObject({ error: 'invalid_grant' });
  });

  test('an expired code is refused', async () => {
    const f = await signIn(new Browser(), config);
    await server.sql(`update authorize_request set code_expires_at = now() - interval '1 second' where code_hash is not null and code_used_at is null`);
    await expect(redeem(config, f)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('an unregistered redirect_uri gets an error page, never a redirect', async () => {
    const f = await startFlow(config, { redirect_uri: 'https://evil.example/cb' });
    const r = await new Browser().request(f.url);
    expect(r.status).toBe(400);
    expect(r.location).toBeNull();
    expect(r.html).toContain('redirect_uri');
  });

  test('plain PKCE and a missing challenge are refused with a redirect carrying error and state', async () => {
    for (const extra of [{ code_challenge_method: 'plain' }, { code_challenge: '' }] as Record<string, string>[]) {
      const f = await startFlow(config, extra);
      if (extra.code_challenge === '') f.url.searchParams.delete('code_challenge');
      const r = await new Browser().request(f.url);
      expect(r.status).toBe(302);
      const back = new URL(r.location!);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('state')).toBe(f.state);
    }
  });

  test('a forged login post (wrong CSRF token or another browser) is refused', async () => {
    const browser = new Browser();
    const f = await startFlow(config);
    const page = await browser.request(f.url);
    const authReqId = /name="auth_req_id" value="([^"]+)"/.exec(page.html)![1];
    const action = `${server.url}/oauth2/authorize/login`;
    const forged = await browser.request(action, { form: { auth_req_id: authReqId, csrf_token: 'x'.repeat(43), handle: 'ada@example.com', password: PASSWORD } });
    expect(forged.status).toBe(400);
    const elsewhere = await new Browser().request(action, { form: { auth_req_id: authReqId, csrf_token: 'x', handle: 'ada@example.com', password: PASSWORD } });
    expect(elsewhere.status).toBe(400);
  });
});

describe('tokens', () => {
  test('refresh tokens rotate; a replayed one revokes the whole family', async () => {
    const tokens = await redeem(config, await signIn(new Browser(), config));
    const next = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    await verifyIdToken(next.id_token!, 'rp-web');
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.refreshTokenGrant(config, next.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await client.tokenIntrospection(config, next.access_token)).active).toBe(false);
  });

  test('introspection: active, then inactive after revocation; unknown and tampered tokens are inactive', async () => {
    const tokens = await redeem(config, await signIn(new Browser(), config));
    const active = await client.tokenIntrospection(config, tokens.access_token);
    expect(active).toMatchObject({ active: true, client_id: 'rp-web', sub: personId });
    const [h, p, s] = tokens.access_token.split('.');
    const tampered = `${h}.${p.slice(0, -2)}${p.slice(-2) === 'AA' ? 'BB' : 'AA'}.${s}`;
    expect((await client.tokenIntrospection(config, tampered)).active).toBe(false);
    await expect(client.fetchUserInfo(config, tampered, personId)).rejects.toThrow();
    expect((await client.tokenIntrospection(config, 'unknown-token')).active).toBe(false);
    await client.tokenRevocation(config, tokens.access_token);
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    await client.tokenRevocation(config, tokens.refresh_token!);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('client_credentials with a SlashID client over client_secret_basic', async () => {
    const created = await call(server.url, 'POST', '/oauth2/clients', {
      headers: slashidHeaders(acme), json: { client_name: 'Machine', scopes: ['reports:read'], grant_types: ['client_credentials'] },
    });
    const { client_id, client_secret } = created.body.result;
    const cc = await discover(client_id, client.ClientSecretBasic(client_secret));
    const tokens = await client.clientCredentialsGrant(cc, { scope: 'reports:read' });
    expect(tokens.scope).toBe('reports:read');
    expect(await client.tokenIntrospection(cc, tokens.access_token)).toMatchObject({ active: true, client_id, sub: client_id });
    await expect(client.clientCredentialsGrant(cc, { scope: 'admin' })).rejects.toMatchObject({ error: 'invalid_scope' });
    const wrong = await discover(client_id, client.ClientSecretBasic('wrong-secret'));
    // A 401 with `WWW-Authenticate: Basic` (RFC 6749 §5.2), which openid-client surfaces as a challenge error.
    await expect(client.clientCredentialsGrant(wrong, {})).rejects.toMatchObject({ status: 401 });
    const rotated = await call(server.url, 'PUT', `/oauth2/clients/${client_id}/secret`, { headers: slashidHeaders(acme) });
    await expect(client.clientCredentialsGrant(cc, {})).rejects.toMatchObject({ status: 401 });
    const fresh = await discover(client_id, client.ClientSecretBasic(rotated.body.result.client_secret));
    expect((await client.clientCredentialsGrant(fresh, {})).access_token).toBeTruthy();
  });

  test('token endpoint errors are RFC 6749 JSON with no-store', async () => {
    const r = await fetch(`${server.url}/oauth2/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`rp-web:${secret}`).toString('base64')}` },
      body: 'grant_type=password&username=a&password=b',
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.json() as object).toEqual({ error: 'unsupported_grant_type', error_description: expect.any(String) });
    const noAuth = await fetch(`${server.url}/oauth2/tokens`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as any).error).toBe('invalid_client');
  });

  test('another organization\'s client cannot redeem a code or introspect tokens of this one', async () => {
    const foreign = await vaultClient(other, { client_id: 'other-web', name: 'Other' });
    const foreignConfig = await discover('other-web', client.ClientSecretPost(foreign.client_secret));
    const f = await signIn(new Browser(), config);
    await expect(redeem(foreignConfig, f)).rejects.toMatchObject({ error: 'invalid_grant' });
    const tokens = await redeem(config, await signIn(new Browser(), config));
    expect((await client.tokenIntrospection(foreignConfig, tokens.access_token)).active).toBe(false);
  });
});

describe('public clients and consent', () => {
  test('a public client authenticates with none and PKCE', async () => {
    await vaultClient(acme, { client_id: 'rp-spa', name: 'SPA', client_type: 'public', allowed_scopes: ['openid', 'offline_access'] });
    const spa = await discover('rp-spa', client.None());
    const tokens = await redeem(spa, await signIn(new Browser(), spa, {}, 'openid offline_access'));
    expect(tokens.claims()!.sub).toBe(personId);
    expect((await client.refreshTokenGrant(spa, tokens.refresh_token!)).access_token).toBeTruthy();
  });

  test('a third-party client shows a consent step; deny returns access_denied', async () => {
    await vaultClient(acme, { client_id: 'third', name: 'Third Party App', allowed_scopes: ['openid', 'email'], logo_uri: 'https://third.example/logo.png' });
    await server.sql(`update oauth_client set third_party = true where client_id = 'third'`);
    const third = await discover('third', client.ClientSecretPost('not-needed-before-the-token-endpoint'));
    const browser = new Browser();
    const f = await startFlow(third, {}, 'openid email');
    const login = await browser.request(f.url);
    expect(login.html).toContain('https://third.example/logo.png');
    const consent = await submitLogin(browser, login.html, 'ada', PASSWORD);
    expect(consent.status).toBe(200);
    expect(consent.html).toContain('Third Party App');
    expect(consent.html).toContain('See your email address');
    const denied = await submitConsent(browser, consent.html, 'deny');
    const back = new URL(denied.location!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(f.state);
  });
});

describe('RP-initiated logout', () => {
  test('ends the session and returns to a registered post_logout_redirect_uri with state', async () => {
    const browser = new Browser();
    const tokens = await redeem(config, await signIn(browser, config));
    const bad = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example/bye', state: 's1' });
    const refused = await browser.request(bad);
    expect(refused.status).toBe(400);
    expect(refused.location).toBeNull();
    const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: LOGOUT, state: 'bye-state' });
    const r = await browser.request(url);
    expect(r.status).toBe(302);
    expect(r.location).toBe(`${LOGOUT}?state=bye-state`);
    const f = await startFlow(config, { prompt: 'none' });
    const after = await browser.request(f.url);
    expect(new URL(after.location!).searchParams.get('error')).toBe('login_required');
  });
});
