// Brokered sign-in with OAuth 2.0 providers without OpenID Connect (GitHub, Bitbucket), against a
// fake of theirs on loopback (test_base_url, honoured under SSO_ALLOW_HTTP_LOOPBACK only): the
// person is who the user API says, the email's verified flag is the provider's; state is single-use
// and bound to the browser; a failing provider shows its reason on the sign-in page.
import * as client from 'openid-client';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { Browser, createPersonWithPassword, formAction, hidden } from '../oidc/browser.ts';
import { oauth2Metadata } from '../../src/domain/sso/oauth2-providers.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';

const REDIRECT = 'https://rp.example/cb';
const GH = { id: 'idgraph-at-github', secret: 'github-secret-0123456789' };
const BB = { id: 'idgraph-at-bitbucket', secret: GH.secret };
let server: TestServer;
let fake: FakeGitHub;
let acme: TestOrg;
let rp: client.Configuration;
let adaId: string;

beforeAll(async () => {
  server = await startTestServer({ ssoAllowHttpLoopback: true });
  acme = await server.createOrg('Acme');
  fake = await startFakeGitHub([GH, BB]);
  const created = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, client_id: 'rp', name: 'RP', redirect_uris: [REDIRECT], allowed_scopes: ['openid', 'email', 'offline_access'] },
  });
  expect(created.status).toBe(200);
  rp = await client.discovery(new URL(server.url), 'rp', {}, client.ClientSecretPost(created.body.client_secret), { execute: [client.allowInsecureRequests] });
  for (const provider of ['github', 'bitbucket']) {
    expect((await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', {
      headers: slashidHeaders(acme),
      json: { client_id: provider === 'github' ? GH.id : BB.id, client_secret: GH.secret, provider, enable_in_slashid_oidc_authz_server: true, options: { [provider]: { test_base_url: fake.baseUrl } } },
    })).status).toBe(201);
  }
  adaId = await createPersonWithPassword(server, acme.id, [{ type: 'email_address', value: 'ada@corp.example' }], 'ada password 123');
  await server.sql('update person set is_verified = true where id = $1', [adaId]);
}, 60_000);
afterAll(async () => { await fake?.close(); await server?.close(); });

interface Started { browser: Browser; upstream: URL; verifier: string; state: string; nonce: string }

/** The RP's authorize request → the page → "Continue with <label>" → the provider's authorization URL. */
async function continueWith(label: 'GitHub' | 'Bitbucket', browser = new Browser()): Promise<Started> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT, scope: 'openid email offline_access', state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const page = await browser.request(url);
  const sso = new RegExp(`name="sso" value="([^"]+)"[^>]*>Continue with ${label}<`).exec(page.html)?.[1];
  expect(sso).toMatch(/^oidc:/);
  const started = await browser.request(formAction(page.html)!, {
    form: { auth_req_id: hidden(page.html, 'auth_req_id')!, csrf_token: hidden(page.html, 'csrf_token')!, sso: sso! },
  });
  expect(started.status).toBe(303);
  return { browser, upstream: new URL(started.location!), verifier, state, nonce };
}

/** The provider sends the browser back with a code (as it would after the person agreed). */
function callbackOf(s: Started, state = s.upstream.searchParams.get('state')!) {
  fake.code = `code-${Math.random().toString(36).slice(2)}`;
  fake.challenge = s.upstream.searchParams.get('code_challenge');
  const callback = new URL(s.upstream.searchParams.get('redirect_uri')!);
  callback.search = new URLSearchParams({ code: fake.code, state }).toString();
  return callback;
}

const redeem = (s: Started, location: string) =>
  client.authorizationCodeGrant(rp, new URL(location), { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce });

let grant: { idToken: string; accessToken: string; latestAccess: string; refreshToken: string };
const containerCall = (container: string) => call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': container } });

const links = () => server.sql('select count(*)::int as n from upstream_identity');

beforeEach(() => { fake.fail = 'none'; });

test('GitHub: a new person; PKCE and state upstream, no nonce; tokens record method oidc, provider github; the upstream token is stored', async () => {
  fake.user = { id: 1001, uuid: '{u-1001}', login: 'newbie' };
  fake.emails = [{ email: 'other@corp.example', primary: false, verified: true }, { email: 'newbie@corp.example', primary: true, verified: true }];
  const s = await continueWith('GitHub');
  expect(s.upstream.origin + s.upstream.pathname).toBe(`${fake.baseUrl}/login/oauth/authorize`);
  expect(Object.fromEntries(s.upstream.searchParams)).toMatchObject({ client_id: GH.id, response_type: 'code', code_challenge_method: 'S256', scope: 'read:user user:email' });
  expect(s.upstream.searchParams.get('nonce')).toBeNull();
  const callback = callbackOf(s);
  const answer = await s.browser.request(callback);
  expect(answer.status).toBe(302);
  expect(fake.lastTokenRequest).toEqual({ auth: 'post', verifier: expect.stringMatching(/^[\w-]{43,}$/) });
  const tokens = await redeem(s, answer.location!);
  const claims = tokens.claims()!;
  const [person] = await server.sql('select person_id from upstream_identity where subject = $1', ['1001']);
  expect(claims.sub).toBe(person.person_id);
  expect(claims.authenticated_methods).toEqual(['oidc']);
  expect(claims.authentications).toEqual([{ method: 'oidc', handle: { type: 'email_address', value: 'newbie@corp.example' }, id: expect.any(String), provider: 'github' }]);
  expect(decodeJwt(tokens.access_token).authenticated_methods).toEqual(['oidc']);
  // The refresh_token grant keeps how the person signed in, in the ID token and the access token.
  const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!);
  expect(refreshed.claims()!).toMatchObject({ sub: claims.sub, authenticated_methods: ['oidc'], authentications: claims.authentications });
  expect(decodeJwt(refreshed.access_token)).toMatchObject({ authenticated_methods: ['oidc'], authentications: claims.authentications });
  const again = await client.refreshTokenGrant(rp, refreshed.refresh_token!);
  expect(decodeJwt(again.access_token).authentications).toEqual(claims.authentications);
  grant = { idToken: tokens.id_token!, accessToken: tokens.access_token, latestAccess: again.access_token, refreshToken: again.refresh_token! };
  expect(await server.sql('select is_verified from person where id = $1', [person.person_id])).toEqual([{ is_verified: true }]);
  const stored = await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': tokens.id_token! } });
  expect(stored.status).toBe(200);
  expect(JSON.stringify(stored.body)).toMatch(/gho_[0-9a-f]{24}/);
  expect(JSON.stringify(stored.body)).toContain('"github"');

  // The same callback again (replay): the state is spent.
  const replay = await s.browser.request(callback);
  expect(replay.status).toBe(400);
  expect(replay.html).toMatch(/already used/);
});

test('GET /sso/oidc/tokens refuses a revoked token container (access token by its row; ID token once its grant is revoked)', async () => {
  expect((await containerCall(grant.latestAccess)).status).toBe(200);
  // The access token revoked alone (RFC 7009): that container is refused, the grant's ID token still counts.
  await client.tokenRevocation(rp, grant.latestAccess, { token_type_hint: 'access_token' });
  const refused = await containerCall(grant.latestAccess);
  expect([refused.status, JSON.stringify(refused.body)]).toEqual([401, expect.stringMatching(/revoked/)]);
  expect((await containerCall(grant.idToken)).status).toBe(200);
  // The refresh token revoked: the whole grant is, and so every container issued with it.
  await client.tokenRevocation(rp, grant.refreshToken, { token_type_hint: 'refresh_token' });
  for (const container of [grant.idToken, grant.accessToken]) expect((await containerCall(container)).status).toBe(401);
});

test('GitHub: an existing person whose verified primary email GitHub confirms is signed in and linked', async () => {
  fake.user = { id: 1002, uuid: '{u-1002}', login: 'ada' };
  fake.emails = [{ email: 'ada@corp.example', primary: true, verified: true }];
  const s = await continueWith('GitHub');
  const answer = await s.browser.request(callbackOf(s));
  expect(answer.status).toBe(302);
  expect((await redeem(s, answer.location!)).claims()!.sub).toBe(adaId);
  expect(await server.sql('select person_id from upstream_identity where subject = $1', ['1002'])).toEqual([{ person_id: adaId }]);
});

test('GitHub: an unverified primary email is not merged into the person holding it', async () => {
  fake.user = { id: 1003, uuid: '{u-1003}', login: 'mallory' };
  // A verified secondary address does not make the primary one verified.
  fake.emails = [{ email: 'ada@corp.example', primary: true, verified: false }, { email: 'mallory@corp.example', primary: false, verified: true }];
  const before = await links();
  const s = await continueWith('GitHub');
  const answer = await s.browser.request(callbackOf(s));
  expect(answer.status).toBe(403);
  expect(answer.html).toMatch(/did not confirm that ada@corp\.example is verified/);
  expect(answer.location).toBeNull();
  expect(await links()).toEqual(before);
});

test('state: unknown or foreign state refused; a callback in another browser is refused without spending it', async () => {
  const s = await continueWith('GitHub');
  const forged = await s.browser.request(callbackOf(s, 'forged-state-value'));
  expect(forged.status).toBe(400);
  expect(forged.html).toMatch(/unknown, expired or was already used/);
  const elsewhere = await new Browser().request(callbackOf(s));
  expect(elsewhere.status).toBe(400);
  expect(elsewhere.html).toMatch(/another browser/);
  fake.user = { id: 1002, uuid: '{u-1002}', login: 'ada' };
  fake.emails = [{ email: 'ada@corp.example', primary: true, verified: true }];
  expect((await s.browser.request(callbackOf(s))).status).toBe(302);
});

test.each([
  ['token-error', /could not be verified/],
  ['user-500', /GitHub did not say who signed in: its user API answered HTTP 500 to \/user/],
  ['emails-401', /GitHub did not say who signed in: its user API answered HTTP 401 to \/user\/emails/],
] as const)('GitHub failing (%s): the reason on the sign-in page, nothing linked', async (failure, reason) => {
  const before = await links();
  const s = await continueWith('GitHub');
  fake.fail = failure;
  const answer = await s.browser.request(callbackOf(s));
  expect(answer.status).toBe(403);
  expect(answer.html).toMatch(reason);
  expect(answer.html).not.toMatch(/gho_/);
  expect(await links()).toEqual(before);
});

test('GitHub: a provider sending the person back with an error shows it', async () => {
  const s = await continueWith('GitHub');
  const callback = new URL(s.upstream.searchParams.get('redirect_uri')!);
  callback.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user has denied your application access.', state: s.upstream.searchParams.get('state')! }).toString();
  const answer = await s.browser.request(callback);
  expect(answer.status).toBe(403);
  expect(answer.html).toMatch(/GitHub refused the sign-in: access_denied/);
});

test('Bitbucket: client_secret_basic, no PKCE; uuid as subject, is_primary / is_confirmed', async () => {
  fake.user = { id: 0, uuid: '{bb-2001}', login: 'bb' };
  fake.emails = [{ email: 'bb@corp.example', primary: true, verified: false }];
  const s = await continueWith('Bitbucket');
  expect(s.upstream.pathname).toBe('/site/oauth2/authorize');
  expect(s.upstream.searchParams.get('code_challenge')).toBeNull();
  const answer = await s.browser.request(callbackOf(s));
  expect(answer.status).toBe(302);
  expect(fake.lastTokenRequest).toEqual({ auth: 'basic', verifier: null });
  const claims = (await redeem(s, answer.location!)).claims()!;
  expect((claims.authentications as { provider: string }[])[0].provider).toBe('bitbucket');
  // Created, but not verified: Bitbucket did not confirm the address.
  expect(await server.sql('select p.is_verified from person p join upstream_identity u on u.person_id = p.id where u.subject = $1', ['{bb-2001}'])).toEqual([{ is_verified: false }]);
});

test('production endpoints unless the loopback override is allowed', () => {
  expect(oauth2Metadata('github', {}, { allowHttpLoopback: false })).toMatchObject({
    authorization_endpoint: 'https://github.com/login/oauth/authorize', token_endpoint: 'https://github.com/login/oauth/access_token',
  });
  expect(oauth2Metadata('bitbucket', {}, { allowHttpLoopback: false }).token_endpoint).toBe('https://bitbucket.org/site/oauth2/access_token');
  expect(() => oauth2Metadata('github', { test_base_url: fake.baseUrl }, { allowHttpLoopback: false })).toThrow(/test_base_url/);
  expect(() => oauth2Metadata('github', { test_base_url: 'https://api.evil.example' }, { allowHttpLoopback: true })).toThrow(/test_base_url/);
});
