// The hosted login page's zero-knowledge method, checked without JavaScript: on the step after the
// identifier (a username), the markup and the script tag appear only for tenants whose settings
// enable it (login_order + use_pin / use_pattern, not is_2fa), in login_order; the script is served from our origin with a long-lived cache under
// its hash; the CSP allows scripts and fetches from our origin only. The password form keeps working.
// (test/oidc/login-page.chromium.test.ts drives the same page in a real browser.)
import * as oauth from 'oauth4webapi';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, registerUser } from '../helpers/zkp.ts';
import { hashPassword } from '../../src/crypto/password.ts';
import { Browser, createPersonWithPassword, submitIdentifier, submitLogin } from './browser.ts';

const REDIRECT = 'https://page-app.example/callback';
let server: TestServer;
const orgs: Record<string, TestOrg> = {};

async function tenant(name: string, settings: Record<string, unknown>) {
  const org = await server.createOrg(name);
  await enableRegistration(server.url, org, org.id, settings);
  const created = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(org),
    json: { client_id: `app-${name}`, name: `App ${name}`, tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`client: ${created.status} ${created.text}`);
  orgs[name] = org;
  // `someone` holds a ZKP secret and a password: the methods step shows everything the tenant allows.
  await registerUser(server.url, org.id, 'someone', 'someone secret');
  const [person] = await server.sql<{ id: string }>(`select person_id as id from handle where organization_id = $1 and normalized = 'someone'`, [org.id]);
  const password = await call(server.url, 'PUT', `/persons/${person.id}/credentials/password`, {
    headers: { 'SlashID-OrgID': org.id, 'SlashID-API-Key': org.apiKey },
    json: { type: 'password', params: { password_hash: await hashPassword('someone password') } },
  });
  if (password.status >= 300) throw new Error(`password: ${password.status} ${password.text}`);
  return org;
}

/** The methods step of the sign-in page for `handle` (by default `someone`, who holds every method the tenant allows). */
async function loginPage(name: string, browser = new Browser(), handle = 'someone') {
  const first = await identifierPage(name, browser);
  const page = await submitIdentifier(browser, first.html, handle);
  expect(page.status).toBe(200);
  return { ...page, browser };
}

async function identifierPage(name: string, browser = new Browser()) {
  const org = orgs[name];
  const url = new URL(`${server.url}/realms/${org.id}/protocol/openid-connect/auth`);
  url.search = new URLSearchParams({
    client_id: `app-${name}`, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's',
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
  }).toString();
  const page = await browser.request(url);
  expect(page.status).toBe(200);
  return { ...page, browser };
}

const scriptTags = (html: string) => html.match(/<script[^>]*>/g) ?? [];
const scriptUrl = (html: string) => /<script src="([^"]+)" defer><\/script>/.exec(html)?.[1];
const csp = (headers: Headers) => Object.fromEntries((headers.get('content-security-policy') ?? '').split(';')
  .map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));

beforeAll(async () => {
  server = await startTestServer();
  await tenant('defaults', {});
  await tenant('off', { use_pin: false, use_pattern: false });
  await tenant('empty-order', { login_order: [] });
  await tenant('both', { login_order: ['PATTERN', 'PIN'], use_pattern: true, patter_size: 4, pin_size: 8, show_pin_when_typing: false });
  await tenant('pattern-off', { login_order: ['PATTERN', 'PIN'], use_pattern: false, pin_size: 4 });
  await tenant('two-factor', { is_2fa: true });
});
afterAll(() => server.close());

test('the identifier step asks for the identifier only: no method, no script while passkeys are off', async () => {
  const { html } = await identifierPage('defaults');
  expect(html).toMatch(/<input type="text" id="handle" name="handle" autocomplete="username webauthn"/);
  expect(html).not.toContain('id="zkp"');
  expect(html).not.toContain('name="password"');
  expect(scriptTags(html)).toEqual([]);
});

test('default settings (use_pin, login_order [PIN]) offer the PIN beside the password form, hidden until the script runs', async () => {
  const { html, headers } = await loginPage('defaults');
  expect(html).toMatch(/<section id="zkp" hidden data-tenant-id="[^"]+" data-auth-req-id="[^"]+" data-ticket-url="\/login\/ticket">/);
  expect(html).toContain(`data-tenant-id="${orgs.defaults.id}"`);
  expect(html).toMatch(/<input type="text" id="zkp-pin" inputmode="numeric" pattern="\[0-9\]\{6\}" minlength="6" maxlength="6"/);
  expect(html).toContain('data-method="PIN"');
  expect(html).not.toContain('id="zkp-pattern"');
  // the password form is still there and outside the hidden section
  expect(html.indexOf('</section>')).toBeLessThan(html.indexOf('<form method="post"'));
  expect(html).toMatch(/<input type="password" id="password" name="password"/);
  // one script, ours, by its hashed URL; no inline script; the CSP says so
  expect(scriptTags(html)).toEqual([expect.stringMatching(/^<script src="\/login\/zkp\.js\?v=[A-Za-z0-9_-]{22}" defer>$/)]);
  expect(html).not.toMatch(/<script>|<script [^s]|\son[a-z]+="|javascript:/i);
  const policy = csp(headers);
  expect(policy['default-src']).toBe("'none'");
  expect(policy['script-src']).toBe("'self'");
  expect(policy['connect-src']).toBe("'self'");
  expect(policy['frame-ancestors']).toBe("'none'");
  expect(headers.get('cache-control')).toBe('no-store');
});

test('tenants that turn the method off (use_pin and use_pattern false, empty login_order, is_2fa) get the password form only, with no script allowed', async () => {
  for (const name of ['off', 'empty-order', 'two-factor']) {
    const { html, headers } = await loginPage(name);
    expect(html).not.toContain('id="zkp"');
    expect(scriptTags(html)).toEqual([]);
    const policy = csp(headers);
    expect(policy['default-src']).toBe("'none'");
    expect(policy['script-src']).toBeUndefined();
    expect(policy['connect-src']).toBeUndefined();
    expect(html).toMatch(/<input type="password" id="password" name="password"/);
  }
});

test('login_order orders the methods; pin_size, patter_size and show_pin_when_typing shape the inputs', async () => {
  const both = (await loginPage('both')).html;
  expect(both.indexOf('id="zkp-pattern"')).toBeGreaterThan(0);
  expect(both.indexOf('id="zkp-pattern"')).toBeLessThan(both.indexOf('id="zkp-pin"'));
  expect(both.match(/data-cell="\d+"/g)).toHaveLength(16);
  expect(both).toContain('grid-template-columns:repeat(4,1fr)');
  expect(both).toMatch(/<input type="password" id="zkp-pin" inputmode="numeric" pattern="\[0-9\]\{8\}" minlength="8" maxlength="8"/);
  const pinOnly = (await loginPage('pattern-off')).html;
  expect(pinOnly).not.toContain('id="zkp-pattern"');
  expect(pinOnly).toContain('pattern="[0-9]{4}"');
});

test('the script: JavaScript from our origin, immutable under its hash, ETag, 304, no-cache under another hash', async () => {
  const url = scriptUrl((await loginPage('defaults')).html)!;
  const hash = new URL(url, server.url).searchParams.get('v')!;
  const r = await fetch(server.url + url);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  const etag = r.headers.get('etag')!;
  expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  expect(etag.slice(1, 23)).toBe(hash);
  const code = await r.text();
  expect(code.length).toBeGreaterThan(10_000);
  expect(code).toContain('/auth/challenge');
  expect(code).not.toMatch(/^\s*import\s|require\(/m); // one self-contained bundle
  // (a browser's revalidation; fetch would add `cache-control: no-cache`, which forbids a 304)
  const same = await fetch(server.url + url, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
  expect(same.status).toBe(304);
  for (const other of ['/login/zkp.js', '/login/zkp.js?v=stale']) {
    const o = await fetch(server.url + other);
    expect(o.status).toBe(200);
    expect(o.headers.get('cache-control')).toBe('no-cache');
    expect(await o.text()).toBe(code);
  }
  // every page links the same build
  expect(scriptUrl((await loginPage('both')).html)).toBe(url);
});

test('the password form works without JavaScript; a person with only a password is offered only that, also after a wrong one', async () => {
  await createPersonWithPassword(server, orgs.defaults.id, [{ type: 'email_address', value: 'pat@example.com' }], 'correct horse battery');
  const page = await loginPage('defaults', new Browser(), 'pat@example.com');
  expect(page.html).not.toContain('id="zkp"');
  const wrong = await submitLogin(page.browser, page.html, 'pat@example.com', 'wrong password');
  expect(wrong.status).toBe(401);
  expect(wrong.html).toContain('Wrong handle or password');
  expect(wrong.html).not.toContain('id="zkp-pin"');
  expect(wrong.html).toContain('value="pat@example.com"');
  expect(csp(wrong.headers)['script-src']).toBeUndefined();
  const right = await submitLogin(page.browser, wrong.html, 'pat@example.com', 'correct horse battery');
  expect(right.status).toBe(303);
  expect(new URL(right.location!).searchParams.get('code')).toBeTruthy();
});
