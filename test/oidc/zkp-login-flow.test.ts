// The zero-knowledge login completing an OIDC authorization request end to end: authorize (as a
// certified RP library builds it) → /auth/challenge + /auth/authenticate with auth_req_id and the
// shipped client (src/zkp/client.ts) → GET /login/ticket → code → tokens (oauth4webapi checks the
// ID token). Reused tickets, tickets of another request, expired challenges, other browsers and
// other tenants fail.
import * as oauth from 'oauth4webapi';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, fromIp, registerUser } from '../helpers/zkp.ts';
import { authenticateBody, challengeBody, deriveZkpKeys, registrationBody, type ZkpKeys } from '../../src/zkp/client.ts';
import { Browser, hidden } from './browser.ts';

const insecure = { [oauth.allowInsecureRequests]: true };
const REDIRECT = 'https://zkp-app.example/callback';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let as: oauth.AuthorizationServer;
let secret: string;
let kim: ZkpKeys;
let kimId: string;
let ipCounter = 0;
const freshIp = () => `192.0.2.${++ipCounter}`;
const rp: oauth.Client = { client_id: 'zkp-app' };
const auth = () => oauth.ClientSecretBasic(secret);

beforeAll(async () => {
  server = await startTestServer({ trustProxyHops: 1 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await enableRegistration(server.url, acme, acme.id);
  await enableRegistration(server.url, other, other.id);
  kim = await registerUser(server.url, acme.id, 'kim', 'kim image bytes');
  kimId = (await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/kim`, { headers: vaultHeaders(acme) })).body.user_id;
  const created = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme),
    json: { client_id: 'zkp-app', name: 'ZKP app', tenant_id: acme.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid', 'offline_access'] },
  });
  secret = created.body.client_secret;
  const issuer = new URL(`${server.url}/realms/${acme.id}`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
});
afterAll(() => server.close());

async function startAuthorize(browser = new Browser()) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access', state, nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  const page = await browser.request(url);
  expect(page.status).toBe(200);
  return { browser, verifier, state, nonce, authReqId: hidden(page.html, 'auth_req_id')!, html: page.html };
}

/** challenge + authenticate naming the authorize request only (no tenant_id). */
async function zkpLogin(authReqId: string, keys: ZkpKeys, query = '') {
  const headers = fromIp(freshIp());
  const ch = await call(server.url, 'POST', `/auth/challenge?auth_req_id=${encodeURIComponent(authReqId)}${query}`, { headers, json: challengeBody(keys) });
  if (ch.status !== 200) return ch;
  return call(server.url, 'POST', `/auth/authenticate?auth_req_id=${encodeURIComponent(authReqId)}${query}`, {
    headers, json: authenticateBody(keys, ch.body),
  });
}

const ticketUrl = (authReqId: string, nonce: string) =>
  `${server.url}/login/ticket?auth_req_id=${encodeURIComponent(authReqId)}&nonce=${encodeURIComponent(nonce)}`;

test('authorize → ZKP login with auth_req_id → /login/ticket → code → tokens; the session is the one /user/me/sessions lists', async () => {
  const flow = await startAuthorize();
  const login = await zkpLogin(flow.authReqId, kim);
  expect(login.status).toBe(200);
  expect(login.body.need_verify).toBe(false);
  const r = await flow.browser.request(ticketUrl(flow.authReqId, login.body.nonce));
  expect(r.status).toBe(302);
  expect(r.headers.get('set-cookie')).toMatch(/idg_session=.*HttpOnly; SameSite=Lax/);
  const params = oauth.validateAuthResponse(as, rp, new URL(r.location!), flow.state);
  const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
    await oauth.authorizationCodeGrantRequest(as, rp, auth(), params, REDIRECT, flow.verifier, insecure),
    { expectedNonce: flow.nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  expect(claims.sub).toBe(kimId);
  const sessions = await call(server.url, 'GET', '/user/me/sessions', { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(sessions.status).toBe(200);
  const session = sessions.body.sessions.find((s: any) => s.session_id === claims.sid);
  expect(session).toBeDefined();
  expect(session.token_issue).not.toBeNull();

  // the ticket is single-use
  expect((await flow.browser.request(ticketUrl(flow.authReqId, login.body.nonce))).status).toBe(400);
  // the browser is now signed in: a new authorize request goes straight to the code
  const again = new URL(as.authorization_endpoint!);
  again.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's2', prompt: 'none',
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
  }).toString();
  const silent = await flow.browser.request(again);
  expect(silent.status).toBe(302);
  expect(new URL(silent.location!).searchParams.get('code')).toBeTruthy();
});

test('a reused ticket, a ticket of another request, another browser, or no ticket fail; the request stays pending', async () => {
  const a = await startAuthorize();
  const b = await startAuthorize();
  const forA = await zkpLogin(a.authReqId, kim);
  expect(forA.status).toBe(200);
  // the ticket answered for A does not complete B (and is spent)
  expect((await b.browser.request(ticketUrl(b.authReqId, forA.body.nonce))).status).toBe(400);
  expect((await a.browser.request(ticketUrl(a.authReqId, forA.body.nonce))).status).toBe(400);
  // another browser cannot use A's ticket
  const second = await zkpLogin(a.authReqId, kim);
  expect((await new Browser().request(ticketUrl(a.authReqId, second.body.nonce))).status).toBe(400);
  expect((await a.browser.request(`${server.url}/login/ticket?auth_req_id=${a.authReqId}`)).status).toBe(400);
  expect((await a.browser.request(ticketUrl(a.authReqId, 'x'.repeat(5000)))).status).toBe(400);
  // a ticket without auth_req_id (a plain vault login) does not complete a request either
  const plain = await call(server.url, 'POST', `/auth/challenge?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: challengeBody(kim) });
  const plainLogin = await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: authenticateBody(kim, plain.body) });
  expect((await a.browser.request(ticketUrl(a.authReqId, plainLogin.body.nonce))).status).toBe(400);
  const [row] = await server.sql(`select status from authorize_request where id = $1`, [a.authReqId]);
  expect(row.status).toBe('pending');
  // a fresh ticket still completes it
  const third = await zkpLogin(a.authReqId, kim);
  expect((await a.browser.request(ticketUrl(a.authReqId, third.body.nonce))).status).toBe(302);
});

test('an expired challenge, a wrong secret, or a user of another tenant answer 401 and give no ticket', async () => {
  const flow = await startAuthorize();
  const headers = fromIp(freshIp());
  const ch = await call(server.url, 'POST', `/auth/challenge?auth_req_id=${flow.authReqId}`, { headers, json: challengeBody(kim) });
  await server.sql(`update zkp_challenge set expires_at = now() - interval '1 second' where id = $1`, [ch.body.challenge_id]);
  expect((await call(server.url, 'POST', `/auth/authenticate?auth_req_id=${flow.authReqId}`, { headers, json: authenticateBody(kim, ch.body) })).status).toBe(401);
  const wrong = await deriveZkpKeys('not kim', { tenantId: acme.id, username: 'kim' });
  expect((await zkpLogin(flow.authReqId, wrong)).status).toBe(401);
  const olga = await registerUser(server.url, other.id, 'olga', 'olga image');
  expect((await zkpLogin(flow.authReqId, olga)).status).toBe(401);
});

test('auth_req_id gives the tenant: tenant_id optional, a different one 422, unknown or finished requests 404', async () => {
  const flow = await startAuthorize();
  expect((await zkpLogin(flow.authReqId, kim, `&tenant_id=${acme.id}`)).status).toBe(200);
  expect((await zkpLogin(flow.authReqId, kim, `&tenant_id=${other.id}`)).status).toBe(422);
  expect((await zkpLogin('no-such-request-id-0123456789', kim)).status).toBe(404);
  expect((await call(server.url, 'POST', '/auth/challenge', { json: challengeBody(kim) })).status).toBe(422);
  // registration through a pending request lands in its tenant
  const keys = await deriveZkpKeys('newbie image', { tenantId: acme.id, username: 'newbie' });
  const reg = await call(server.url, 'POST', `/auth/register?auth_req_id=${flow.authReqId}`, { json: await registrationBody(keys, 'newbie@example.com') });
  expect(reg.status).toBe(201);
  expect((await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/newbie`, { headers: vaultHeaders(acme) })).status).toBe(200);
  // once the request is complete, its auth_req_id names nothing pending
  const login = await zkpLogin(flow.authReqId, keys);
  expect((await flow.browser.request(ticketUrl(flow.authReqId, login.body.nonce))).status).toBe(302);
  expect((await zkpLogin(flow.authReqId, kim)).status).toBe(404);
});
