// A person's OIDC access token (obtained through a real code flow with oauth4webapi) authenticates
// the Secrets Vault routes that act as that person: /user/me/sessions, /user/me/api-keys,
// /auth/password/change and PUT /tenants/{t}/users/{u}/email. Revoked, expired, tampered and
// client-only tokens are refused; other tenants stay out of reach.
import * as oauth from 'oauth4webapi';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { challengeFor, enableRegistration, fromIp, login, registerUser } from '../helpers/zkp.ts';
import { authenticateBody, deriveZkpKeys, registrationBody, type ZkpKeys } from '../../src/zkp/client.ts';
import { hashPassword } from '../../src/crypto/password.ts';
import { Browser, submitLogin } from './browser.ts';

const insecure = { [oauth.allowInsecureRequests]: true };
const REDIRECT = 'https://vault-app.example/callback';
const PASSWORD = 'bearer password 123';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let as: oauth.AuthorizationServer;
let secret: string;
let zoe: ZkpKeys;
let zoeId: string;
let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;
const rp: oauth.Client = { client_id: 'vault-app' };
const auth = () => oauth.ClientSecretBasic(secret);
const bearer = (token: string, more: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...more });

async function addPassword(personId: string, organizationId: string) {
  await server.sql(`insert into credential (id, organization_id, person_id, type, secret, created_at, updated_at)
    values (gen_random_uuid(), $1, $2, 'password', $3, now(), now())`, [organizationId, personId, await hashPassword(PASSWORD)]);
}

beforeAll(async () => {
  server = await startTestServer({ trustProxyHops: 1 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await enableRegistration(server.url, acme, acme.id);
  await enableRegistration(server.url, other, other.id);
  zoe = await registerUser(server.url, acme.id, 'zoe', 'zoe image bytes');
  zoeId = (await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/zoe`, { headers: vaultHeaders(acme) })).body.user_id;
  await addPassword(zoeId, acme.id);
  const created = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme),
    json: { client_id: 'vault-app', name: 'Vault app', tenant_id: acme.id, redirect_uris: [REDIRECT],
      allowed_scopes: ['openid', 'profile', 'offline_access', 'profile:write'] },
  });
  expect(created.status).toBe(200);
  secret = created.body.client_secret;
  const issuer = new URL(`${server.url}/realms/${acme.id}`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
});
afterAll(() => server.close());

/** authorize → password form → code → tokens, with oauth4webapi checking every step. */
async function tokensFor(scope: string, handle = 'zoe') {
  const browser = new Browser();
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope, state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  let r = await browser.request(url);
  expect(r.status).toBe(200);
  r = await submitLogin(browser, r.html, handle, PASSWORD);
  const params = oauth.validateAuthResponse(as, rp, new URL(r.location!), state);
  const response = await oauth.authorizationCodeGrantRequest(as, rp, auth(), params, REDIRECT, verifier, insecure);
  return oauth.processAuthorizationCodeResponse(as, rp, response, { requireIdToken: scope.includes('openid') });
}

test('GET /user/me/sessions and /user/me/api-keys answer for the person behind the access token', async () => {
  const tokens = await tokensFor('openid');
  const sessions = await call(server.url, 'GET', '/user/me/sessions', { headers: bearer(tokens.access_token) });
  expect(sessions.status).toBe(200);
  expect(sessions.body.sessions.every((s: any) => s.user_id === zoeId && s.tenant_id === acme.id)).toBe(true);
  const keys = await call(server.url, 'GET', '/user/me/api-keys', { headers: bearer(tokens.access_token) });
  expect(keys.status).toBe(200);
  // openid alone grants no account change
  const create = await call(server.url, 'POST', '/api-keys', {
    headers: bearer(tokens.access_token), json: { name: 'k', scopes: ['sessions:read'], tenant_id: acme.id },
  });
  expect(create.status).toBe(403);
});

test('POST /auth/password/change needs the profile:write scope on the token', async () => {
  const fresh = await deriveZkpKeys('zoe second image', { tenantId: acme.id, username: 'zoe' });
  const { encrypted_commitment } = await registrationBody(fresh, 'zoe@example.com');
  const json = { encrypted_commitment, proto_version: 1 };
  const plain = await tokensFor('openid profile');
  expect((await call(server.url, 'POST', '/auth/password/change', { headers: bearer(plain.access_token), json })).status).toBe(403);
  const strong = await tokensFor('openid profile:write');
  expect((await call(server.url, 'POST', '/auth/password/change', { headers: bearer(strong.access_token), json })).status).toBe(200);
  expect((await login(server.url, acme.id, zoe, fromIp(freshIp()))).status).toBe(401);
  expect((await login(server.url, acme.id, fresh, fromIp(freshIp()))).status).toBe(200);
  zoe = fresh;
});

test('PUT /tenants/{t}/users/{u}/email with a token holding profile:write and a fresh proof; others are refused', async () => {
  const tokens = await tokensFor('openid profile:write');
  const proof = async (email: string) => {
    const ch = await challengeFor(server.url, acme.id, zoe, fromIp(freshIp()));
    const { challenge_id, challenge_data } = authenticateBody(zoe, ch.body);
    return { challenge_id, challenge_data, email };
  };
  const put = async (email: string, tenant = acme.id, user = zoeId, token = tokens.access_token) =>
    call(server.url, 'PUT', `/tenants/${tenant}/users/${user}/email`, { headers: bearer(token, fromIp(freshIp())), json: await proof(email) });
  expect((await put('zoe.new@example.com')).status).toBe(200);
  const user = await call(server.url, 'GET', `/tenants/${acme.id}/users/${zoeId}`, { headers: vaultHeaders(acme) });
  expect(user.body.email).toBe('zoe.new@example.com');

  // another user (403: a user's token reaches that user only), the right user in another tenant (404): nothing changed
  const otherUser = await registerUser(server.url, other.id, 'olga', 'olga image');
  const olgaId = (await call(server.url, 'GET', `/tenants/${other.id}/users/by-username/olga`, { headers: vaultHeaders(other) })).body.user_id;
  expect((await put('foreign@example.com', other.id, olgaId)).status).toBe(403);
  expect((await put('foreign2@example.com', other.id, zoeId)).status).toBe(404);
  await registerUser(server.url, acme.id, 'yann', 'yann image');
  const yannId = (await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/yann`, { headers: vaultHeaders(acme) })).body.user_id;
  expect((await put('yann.new@example.com', acme.id, yannId)).status).toBe(403);
  expect((await call(server.url, 'GET', `/tenants/${other.id}/users/${olgaId}`, { headers: vaultHeaders(other) })).body.email).toBe('olga@example.com');
  expect((await call(server.url, 'GET', `/tenants/${acme.id}/users/${zoeId}`, { headers: vaultHeaders(acme) })).body.email).toBe('zoe.new@example.com');
  expect(otherUser).toBeDefined();
});

test('a tampered, revoked or expired access token, or a client_credentials token, answers 401', async () => {
  const tokens = await tokensFor('openid');
  const get = (token: string) => call(server.url, 'GET', '/user/me/sessions', { headers: bearer(token) });
  expect((await get(tokens.access_token)).status).toBe(200);
  const [h, p, s] = tokens.access_token.split('.');
  const tampered = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
  expect((await get(tampered)).status).toBe(401);
  expect((await get('a.b.c')).status).toBe(401);

  await oauth.processRevocationResponse(await oauth.revocationRequest(as, rp, auth(), tokens.access_token, insecure));
  expect((await get(tokens.access_token)).status).toBe(401);

  const expiring = await tokensFor('openid');
  await server.sql(`update oauth_token set expires_at = now() - interval '1 second' where kind = 'access' and issued_at = (select max(issued_at) from oauth_token)`);
  expect((await get(expiring.access_token)).status).toBe(401);

  const cc = await fetch(as.token_endpoint!, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'vault-app', client_secret: secret, scope: 'profile' }),
  });
  expect(cc.status).toBe(200);
  const r = await get(((await cc.json()) as any).access_token);
  expect(r.status).toBe(401);
  expect(r.body.detail).toMatch(/client/);
});

test('organization API keys still work as Bearer', async () => {
  const r = await call(server.url, 'GET', `/tenants/${acme.id}/users/${zoeId}`, { headers: { authorization: `Bearer ${acme.apiKey}` } });
  expect(r.status).toBe(200);
});

test('one session model: a password sign-in is a session of /user/me/sessions (sid of the tokens, token issue recorded); ending it revokes its tokens', async () => {
  const first = await tokensFor('openid offline_access');
  const second = await tokensFor('openid offline_access');
  const sidOf = (t: typeof first) => oauth.getValidatedIdTokenClaims(t)!.sid as string;
  expect(sidOf(first)).not.toBe(sidOf(second));
  const list = await call(server.url, 'GET', '/user/me/sessions', { headers: bearer(second.access_token, { 'User-Agent': 'vault-bearer-test' }) });
  expect(list.status).toBe(200);
  const listed = list.body.sessions.find((s: any) => s.session_id === sidOf(first));
  expect(listed).toBeDefined();
  expect(listed.token_issue).not.toBeNull();
  expect(listed.created.ip).toBeTruthy();
  const [row] = await server.sql(`select cookie_hash from session where id = $1`, [sidOf(first)]);
  expect(row.cookie_hash).toMatch(/^[0-9a-f]{64}$/);

  const ended = await call(server.url, 'DELETE', `/user/me/sessions/${sidOf(first)}`, { headers: bearer(second.access_token) });
  expect(ended.status).toBe(204);
  expect((await call(server.url, 'GET', '/user/me/sessions', { headers: bearer(first.access_token) })).status).toBe(401);
  const refresh = await oauth.refreshTokenGrantRequest(as, rp, auth(), first.refresh_token!, insecure);
  await expect(oauth.processRefreshTokenResponse(as, rp, refresh)).rejects.toMatchObject({ error: 'invalid_grant' });
  // the other session is untouched, and refreshing it records a new token issue
  const refreshed = await oauth.processRefreshTokenResponse(as, rp,
    await oauth.refreshTokenGrantRequest(as, rp, auth(), second.refresh_token!, insecure));
  expect((await call(server.url, 'GET', '/user/me/sessions', { headers: bearer(refreshed.access_token) })).status).toBe(200);
  // ending it twice, or someone else's, is 404
  expect((await call(server.url, 'DELETE', `/user/me/sessions/${sidOf(first)}`, { headers: bearer(second.access_token) })).status).toBe(404);
});
