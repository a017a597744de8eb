// The identifier-first sign-in page over plain HTTP (no JavaScript): each person is offered only
// the methods they hold and the tenant allows; an identifier that names nobody gets the page of a
// person holding every method, in comparable time; a way back; a passkey sign-in (software
// authenticator, real signatures) completing the authorize request; and the passkey enrolment
// offered after a password sign-in, with its refusals. (test/oidc/login-page.chromium.test.ts
// drives the page in a real browser.)
import * as oauth from 'oauth4webapi';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, registerUser } from '../helpers/zkp.ts';
import { SoftAuthenticator } from '../helpers/webauthn.ts';
import { Browser, createPersonWithPassword, formAction, hidden, submitIdentifier, submitLogin } from './browser.ts';
import { hashPassword } from '../../src/crypto/password.ts';

const insecure = { [oauth.allowInsecureRequests]: true };
const REDIRECT = 'https://pk-app.example/callback';
let server: TestServer;
let org: TestOrg;
let as: oauth.AuthorizationServer;
let secret: string;
let allieKey: SoftAuthenticator;
const rp: oauth.Client = { client_id: 'pk-app' };

async function userId(username: string) {
  return (await call(server.url, 'GET', `/tenants/${org.id}/users/by-username/${username}`, { headers: vaultHeaders(org) })).body.user_id as string;
}

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  org = await server.createOrg('Passkey tenant');
  await enableRegistration(server.url, org, org.id, { passkey_enabled: true });
  const created = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(org),
    json: { client_id: 'pk-app', name: 'PK app', tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
  });
  secret = created.body.client_secret;
  const issuer = new URL(`${server.url}/realms/${org.id}`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  await createPersonWithPassword(server, org.id, [{ type: 'email_address', value: 'pat@example.com' }], 'pat password');
  await registerUser(server.url, org.id, 'ada', 'ada secret');
  // allie holds every method: a ZKP secret, a password and a passkey
  await registerUser(server.url, org.id, 'allie', 'allie secret');
  const allie = await userId('allie');
  await call(server.url, 'PUT', `/persons/${allie}/credentials/password`, {
    headers: { 'SlashID-OrgID': org.id, 'SlashID-API-Key': org.apiKey },
    json: { type: 'password', params: { password_hash: await hashPassword('allie password') } },
  });
  const key = (await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(org), json: { name: 'pk', scopes: ['passkeys:write'], tenant_id: org.id, user_id: allie },
  })).body.api_key;
  allieKey = new SoftAuthenticator(server.url);
  const options = await call(server.url, 'POST', '/webauthn/register/options', { headers: { 'X-API-Key': key } });
  const verified = await call(server.url, 'POST', '/webauthn/register/verify', { headers: { 'X-API-Key': key }, json: allieKey.register(options.body).body });
  expect(verified.status).toBe(200);
});
afterAll(() => server.close());

async function startAuthorize(browser = new Browser()) {
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'st',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  const page = await browser.request(url);
  expect(page.status).toBe(200);
  return { browser, verifier, html: page.html, authReqId: hidden(page.html, 'auth_req_id')! };
}

const offered = (html: string) => ({
  passkey: html.includes('id="passkey"'), pin: html.includes('id="zkp-pin"'), password: html.includes('name="password"'),
});

test('the identifier step: one field (passkey autofill), the passkey button hidden until the script runs', async () => {
  const { html } = await startAuthorize();
  expect(html).toMatch(/<input type="text" id="handle" name="handle" autocomplete="username webauthn"/);
  expect(html).toMatch(/<section id="passkey" hidden data-auth-req-id="[^"]+" data-ticket-url="\/login\/ticket">/);
  expect(html).not.toContain('data-identifier');
  expect(html).not.toContain('name="password"');
  expect(html).toMatch(/<script src="\/login\/zkp\.js\?v=[A-Za-z0-9_-]{22}" defer><\/script>/);
});

test('each person is offered the methods they hold; PIN only for a username; a way back', async () => {
  const cases: [string, ReturnType<typeof offered>][] = [
    ['pat@example.com', { passkey: false, pin: false, password: true }],
    ['ada', { passkey: false, pin: true, password: false }],
    ['allie', { passkey: true, pin: true, password: true }],
    ['Allie', { passkey: true, pin: true, password: true }],
  ];
  for (const [handle, expected] of cases) {
    const { browser, html } = await startAuthorize();
    const step = await submitIdentifier(browser, html, handle);
    expect(step.status).toBe(200);
    expect({ handle, ...offered(step.html) }).toEqual({ handle, ...expected });
    expect(step.html).toContain(`Signing in as <strong>${handle}</strong>`);
  }
  const { browser, html } = await startAuthorize();
  const step = await submitIdentifier(browser, html, 'allie');
  expect(step.html).toContain('data-identifier="allie"');
  const back = await browser.request(formAction(step.html)!, {
    form: { auth_req_id: hidden(step.html, 'auth_req_id')!, csrf_token: hidden(step.html, 'csrf_token')!, step: 'back' },
  });
  expect(back.status).toBe(200);
  expect(back.html).toContain('id="identifier-form"');
  const empty = await submitIdentifier(browser, back.html, '   ');
  expect(empty.status).toBe(400);
  expect(empty.html).toContain('Enter your email, phone number or username');
});

test('an identifier that names nobody gets a decoy: a real combination, the same each time, in comparable time', async () => {
  const { browser, html } = await startAuthorize();
  const normalize = (page: string, handle: string) => page.split(handle).join('HANDLE');
  const known = await submitIdentifier(browser, html, 'allie');
  const decoys = [];
  for (let i = 0; i < 60; i++) {
    const step = await submitIdentifier(browser, html, `nobody${i}`);
    expect(step.status).toBe(known.status);
    decoys.push({ handle: `nobody${i}`, html: step.html, methods: offered(step.html) });
  }
  // Every decoy offers at least one method (a combination a person can hold); they differ.
  expect(decoys.every((d) => d.methods.password || d.methods.pin || d.methods.passkey)).toBe(true);
  expect(new Set(decoys.map((d) => JSON.stringify(d.methods))).size).toBeGreaterThan(1);
  // The same identifier gets the same decoy; a decoy with every method is exactly allie's page.
  expect(offered((await submitIdentifier(browser, html, 'nobody7')).html)).toEqual(decoys[7].methods);
  const full = decoys.find((d) => d.methods.passkey && d.methods.pin && d.methods.password)!;
  expect(normalize(full.html, full.handle)).toBe(normalize(known.html, 'allie'));
  // A person none of whose methods works with this identifier (ada holds only a PIN, bound to her username) gets a decoy too.
  const ada = offered((await submitIdentifier(browser, html, 'ada@example.com')).html);
  expect(ada.password || ada.passkey).toBe(true); // an email cannot carry the PIN
  expect(offered((await submitIdentifier(browser, html, 'ada@example.com')).html)).toEqual(ada);
  const time = async (handle: string) => {
    const started = performance.now();
    await submitIdentifier(browser, html, handle);
    return performance.now() - started;
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const knownTimes: number[] = [];
  const unknownTimes: number[] = [];
  for (let i = 0; i < 15; i++) {
    knownTimes.push(await time('allie'));
    unknownTimes.push(await time(`nobody${i}`));
  }
  const [k, u] = [median(knownTimes), median(unknownTimes)];
  console.log(`identifier step median: known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`);
  expect(Math.abs(k - u)).toBeLessThan(Math.max(25, k));
});

test('a passkey sign-in with auth_req_id completes the authorize request: code, tokens for that person', async () => {
  const flow = await startAuthorize();
  const query = `?auth_req_id=${encodeURIComponent(flow.authReqId)}`;
  const options = await call(server.url, 'POST', `/webauthn/authenticate/options${query}`, { json: { username: 'allie' } });
  expect(options.status).toBe(200);
  const login = await call(server.url, 'POST', `/webauthn/authenticate/verify${query}`, { json: allieKey.assert(options.body) });
  expect(login.status).toBe(200);
  // the ticket of another request (or none) is refused; this one completes it
  const ticket = await flow.browser.request(`${server.url}/login/ticket${query}&nonce=${encodeURIComponent(login.body.nonce)}`);
  expect(ticket.status).toBe(302);
  const params = oauth.validateAuthResponse(as, rp, new URL(ticket.location!), 'st');
  const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
    await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(secret), params, REDIRECT, flow.verifier, insecure));
  expect(oauth.getValidatedIdTokenClaims(tokens)!.sub).toBe(await userId('allie'));
  // an assertion answered for this request cannot serve another one
  const other = await startAuthorize();
  const options2 = await call(server.url, 'POST', `/webauthn/authenticate/options${query}`, { json: {} });
  expect(options2.status).toBe(404); // the first request is finished
  const o3 = await call(server.url, 'POST', `/webauthn/authenticate/options?auth_req_id=${encodeURIComponent(other.authReqId)}`, { json: {} });
  const answer = allieKey.assert(o3.body);
  expect((await call(server.url, 'POST', `/webauthn/authenticate/verify?tenant_id=${org.id}`, { json: answer })).status).toBe(401);
});

test('after a password sign-in the page offers a passkey; created through the page it signs in next time', async () => {
  const id = await createPersonWithPassword(server, org.id, [{ type: 'email_address', value: 'enrol@example.com' }], 'enrol password');
  const flow = await startAuthorize();
  const step = await submitIdentifier(flow.browser, flow.html, 'enrol@example.com');
  // before the sign-in: no enrolment
  const early = await flow.browser.request(`${server.url}/login/passkey/options`, {
    form: { auth_req_id: flow.authReqId, csrf_token: hidden(step.html, 'csrf_token')! },
  });
  expect(early.status).toBe(403);
  const signedIn = await submitLogin(flow.browser, step.html, 'enrol@example.com', 'enrol password');
  expect(signedIn.status).toBe(200);
  expect(signedIn.html).toMatch(/<section id="passkey-enrol" hidden data-auth-req-id="[^"]+" data-csrf-token="[^"]+" data-options-url="\/login\/passkey\/options" data-register-url="\/login\/passkey\/register" data-continue-url="[^"]+">/);
  const skip = /<a href="([^"]+)" id="passkey-skip">Not now<\/a>/.exec(signedIn.html)![1].replace(/&amp;/g, '&');
  const csrf = /data-csrf-token="([^"]+)"/.exec(signedIn.html)![1];
  const fields = { auth_req_id: flow.authReqId, csrf_token: csrf };
  // another browser, a wrong csrf token, an unknown request: refused
  expect((await new Browser().request(`${server.url}/login/passkey/options`, { form: fields })).status).toBe(403);
  expect((await flow.browser.request(`${server.url}/login/passkey/options`, { form: { ...fields, csrf_token: 'x' } })).status).toBe(403);
  expect((await flow.browser.request(`${server.url}/login/passkey/options`, { form: { ...fields, auth_req_id: 'nope' } })).status).toBe(403);
  expect((await flow.browser.request(`${server.url}/login/passkey/options`, { headers: { 'content-type': 'application/json' }, method: 'POST' })).status).toBe(400);
  const options = await flow.browser.request(`${server.url}/login/passkey/options`, { form: fields });
  expect(options.status).toBe(200);
  const authenticator = new SoftAuthenticator(server.url);
  const registration = authenticator.register(JSON.parse(options.html)).body;
  const body = { ...registration, transports: registration.transports.join(',') };
  const garbage = await flow.browser.request(`${server.url}/login/passkey/register`, { form: { ...fields, ...body, client_data_json: 'AAAA' } });
  expect(garbage.status).toBe(400);
  const registered = await flow.browser.request(`${server.url}/login/passkey/register`, { form: { ...fields, ...body } });
  expect(registered.status).toBe(200);
  expect(JSON.parse(registered.html)).toEqual({ registered: true });
  expect((await flow.browser.request(`${server.url}/login/passkey/register`, { form: { ...fields, ...body } })).status).toBe(400); // spent challenge
  const done = await flow.browser.request(skip);
  expect(done.status).toBe(302);
  expect(new URL(done.location!).searchParams.get('code')).toBeTruthy();
  // enrolment is over once the request is finished
  expect((await flow.browser.request(`${server.url}/login/passkey/options`, { form: fields })).status).toBe(403);
  // next time: usernameless with the new passkey
  const options2 = await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${org.id}`, { json: {} });
  const login = await call(server.url, 'POST', `/webauthn/authenticate/verify?tenant_id=${org.id}`, { json: authenticator.assert(options2.body) });
  expect(login.status).toBe(200);
  const [row] = await server.sql(`select person_id from login_ticket where method = 'passkey' order by created_at desc limit 1`);
  expect(row.person_id).toBe(id);
  // a person who has a passkey is not asked again
  const again = await startAuthorize();
  const step2 = await submitIdentifier(again.browser, again.html, 'enrol@example.com');
  expect(offered(step2.html)).toEqual({ passkey: true, pin: false, password: true });
  expect((await submitLogin(again.browser, step2.html, 'enrol@example.com', 'enrol password')).status).toBe(303);
});
