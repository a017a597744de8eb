// The ID token of an upstream is checked before anyone signs in: a token for another audience,
// with another nonce, signed by another key, from another issuer or expired is refused with the
// sign-in page and a reason, no code reaches the RP and nothing is linked or stored. The same
// upstream behaving well signs the person in (so the refusals are the checks, not the setup).
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { Browser, formAction, hidden } from '../oidc/browser.ts';
import { startFakeUpstream, type FakeMode, type FakeUpstream } from './fake-upstream.ts';

const REDIRECT = 'https://rp.example/cb';
const CLIENT_ID = 'idgraph-at-fake';
let server: TestServer;
let fake: FakeUpstream;
let acme: TestOrg;

beforeAll(async () => {
  server = await startTestServer({ ssoAllowHttpLoopback: true });
  acme = await server.createOrg('Acme');
  fake = await startFakeUpstream(CLIENT_ID);
  expect((await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, client_id: 'rp', name: 'RP', redirect_uris: [REDIRECT], allowed_scopes: ['openid', 'email'] },
  })).status).toBe(200);
  expect((await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', {
    headers: slashidHeaders(acme),
    json: { client_id: CLIENT_ID, client_secret: 'fake-secret', provider: 'oidc', label: 'Fake', options: { oidc: { issuer: fake.issuer } }, enable_in_slashid_oidc_authz_server: true },
  })).status).toBe(201);
}, 60_000);
afterAll(async () => { await fake?.close(); await server?.close(); });

/** Up to the upstream's authorization URL; then the callback as the upstream would send it. */
async function signInWith(mode: FakeMode) {
  const browser = new Browser();
  const authorize = new URL(`${server.url}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    client_id: 'rp', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', state: 'rp-state',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  }).toString();
  const page = await browser.request(authorize);
  const sso = /name="sso" value="([^"]+)"/.exec(page.html)![1];
  const started = await browser.request(formAction(page.html)!, {
    form: { auth_req_id: hidden(page.html, 'auth_req_id')!, csrf_token: hidden(page.html, 'csrf_token')!, sso },
  });
  const upstream = new URL(started.location!);
  fake.mode = mode;
  fake.nonce = upstream.searchParams.get('nonce')!;
  const callback = new URL(upstream.searchParams.get('redirect_uri')!);
  callback.search = new URLSearchParams({ code: 'any-code', state: upstream.searchParams.get('state')!, iss: fake.issuer }).toString();
  return browser.request(callback);
}

test.each([
  ['wrong-audience', /could not be verified/],
  ['wrong-nonce', /could not be verified/],
  ['bad-signature', /could not be verified/],
  ['wrong-issuer', /could not be verified/],
  ['expired', /could not be verified/],
] as [FakeMode, RegExp][])('an ID token %s is refused', async (mode, reason) => {
  const answer = await signInWith(mode);
  expect(answer.status).toBe(403);
  expect(answer.html).toMatch(reason);
  expect(answer.location).toBeNull();
  expect(await server.sql('select count(*)::int as n from upstream_identity')).toEqual([{ n: 0 }]);
  expect(await server.sql('select count(*)::int as n from sso_oidc_token')).toEqual([{ n: 0 }]);
});

test('the same upstream behaving well signs the person in', async () => {
  const answer = await signInWith('good');
  expect(answer.status).toBe(302);
  expect(answer.location).toMatch(/^https:\/\/rp\.example\/cb\?code=/);
  expect(await server.sql('select subject from upstream_identity')).toEqual([{ subject: 'fake-sub-1' }]);
});

test('hostile callbacks: no parameters, NUL bytes, a huge state, an upstream error with markup: a page, never a 500 nor a redirect', async () => {
  const callback = `${server.url}/oauth2/sso/oidc/callback`;
  const browser = new Browser();
  for (const query of ['', '?state=', '?state=a%00b&code=c', `?state=${'s'.repeat(5000)}`, '?error=access_denied', '?code=x&state=%ZZ']) {
    const answer = await browser.request(`${callback}${query}`);
    expect({ query, status: answer.status, location: answer.location }).toEqual({ query, status: 400, location: null });
  }
  // A live state and the upstream's error: back to the sign-in page with the reason, escaped.
  const page = await browser.request(`${server.url}/oauth2/authorize?${new URLSearchParams({
    client_id: 'rp', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', state: 'rp-state',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  })}`);
  const started = await browser.request(formAction(page.html)!, {
    form: { auth_req_id: hidden(page.html, 'auth_req_id')!, csrf_token: hidden(page.html, 'csrf_token')!, sso: /name="sso" value="([^"]+)"/.exec(page.html)![1]! },
  });
  const state = new URL(started.location!).searchParams.get('state')!;
  const answer = await browser.request(`${callback}?${new URLSearchParams({ state, error: '<img src=x onerror=alert(1)>', error_description: '"><script>alert(2)</script>' })}`);
  expect(answer.status).toBe(403);
  expect(answer.html).not.toContain('<script>alert');
  expect(answer.html).not.toContain('<img src=x');
  expect(answer.html).toContain('&lt;script&gt;');
  // The error spent the sign-in: the same state again is refused.
  expect((await browser.request(`${callback}?${new URLSearchParams({ state, code: 'any' })}`)).status).toBe(400);
});
