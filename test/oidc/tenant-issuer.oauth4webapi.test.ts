// A tenant's issuer (/realms/{tenant_id}, Keycloak's layout) driven end to end by oauth4webapi v3,
// plus the Secrets Vault aliases: POST /token, POST /{tenant_id}/token, /logout, GET /user/me.
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { Browser, createPersonWithPassword, submitLogin } from './browser.ts';

const insecure = { [oauth.allowInsecureRequests]: true };
const TENANT = 'acme-realm';
const REDIRECT = 'https://kc-app.example/callback';
const LOGOUT = 'https://kc-app.example/signed-out';
const PASSWORD = 'tenant password 123';

let server: TestServer;
let acme: TestOrg;
let issuer: URL;
let as: oauth.AuthorizationServer;
let personId: string;
let secret: string;
const rp: oauth.Client = { client_id: 'kc-app' };
const auth = () => oauth.ClientSecretBasic(secret);

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  expect((await call(server.url, 'POST', '/tenants', { headers: vaultHeaders(acme), json: { tenant_id: TENANT, display_name: 'Acme Realm' } })).status).toBe(201);
  const tenantOrg = (await server.sql('select id from organization where tenant_id = $1', [TENANT]))[0].id;
  personId = await createPersonWithPassword(server, tenantOrg,
    [{ type: 'username', value: 'grace' }, { type: 'phone_number', value: '+14155550100' }], PASSWORD);
  const created = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme),
    json: { client_id: 'kc-app', name: 'Keycloak-style app', tenant_id: TENANT, redirect_uris: [REDIRECT],
      post_logout_redirect_uri: [LOGOUT], allowed_scopes: ['openid', 'phone', 'profile', 'offline_access'], sing_alg: 'RS256' },
  });
  expect(created.status).toBe(200);
  secret = created.body.client_secret;
  issuer = new URL(`${server.url}/realms/${TENANT}`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
});
afterAll(() => server.close());

async function codeFlow(browser = new Browser()) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid phone profile offline_access',
    state, nonce, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  let r = await browser.request(url);
  if (r.status === 200) r = await submitLogin(browser, r.html, 'grace', PASSWORD);
  const params = oauth.validateAuthResponse(as, rp, new URL(r.location!), state);
  const response = await oauth.authorizationCodeGrantRequest(as, rp, auth(), params, REDIRECT, verifier, insecure);
  const result = await oauth.processAuthorizationCodeResponse(as, rp, response, { expectedNonce: nonce, requireIdToken: true });
  return { result, browser };
}

test('the realm discovery document uses Keycloak\'s paths', () => {
  const p = `${issuer.href}/protocol/openid-connect`;
  expect(as).toMatchObject({
    issuer: issuer.href, authorization_endpoint: `${p}/auth`, token_endpoint: `${p}/token`, userinfo_endpoint: `${p}/userinfo`,
    end_session_endpoint: `${p}/logout`, jwks_uri: `${p}/certs`, introspection_endpoint: `${p}/token/introspect`, revocation_endpoint: `${p}/revoke`,
  });
});

test('code + PKCE at the tenant issuer: RS256 ID token verified against the realm certs, userinfo, refresh, introspection, revocation', async () => {
  const { result } = await codeFlow();
  const claims = oauth.getValidatedIdTokenClaims(result)!;
  expect(claims).toMatchObject({ iss: issuer.href, sub: personId, aud: 'kc-app' });
  expect(decodeProtectedHeader(result.id_token!).alg).toBe('RS256');
  await jwtVerify(result.id_token!, createRemoteJWKSet(new URL(as.jwks_uri!)), { issuer: issuer.href, audience: 'kc-app' });

  const info = await oauth.processUserInfoResponse(as, rp, personId, await oauth.userInfoRequest(as, rp, result.access_token, insecure));
  expect(info).toMatchObject({ sub: personId, phone_number: '+14155550100', username: 'grace' });
  expect(info.email).toBeUndefined();

  const intro = await oauth.processIntrospectionResponse(as, rp, await oauth.introspectionRequest(as, rp, auth(), result.access_token, insecure));
  expect(intro).toMatchObject({ active: true, client_id: 'kc-app', iss: issuer.href });

  const refreshed = await oauth.processRefreshTokenResponse(as, rp, await oauth.refreshTokenGrantRequest(as, rp, auth(), result.refresh_token!, insecure));
  expect(refreshed.refresh_token).not.toBe(result.refresh_token);
  const replay = await oauth.refreshTokenGrantRequest(as, rp, auth(), result.refresh_token!, insecure);
  await expect(oauth.processRefreshTokenResponse(as, rp, replay)).rejects.toMatchObject({ error: 'invalid_grant' });

  const { result: other } = await codeFlow();
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, rp, auth(), other.access_token, insecure));
  const revoked = await oauth.processIntrospectionResponse(as, rp, await oauth.introspectionRequest(as, rp, auth(), other.access_token, insecure));
  expect(revoked.active).toBe(false);
});

test('a token of the tenant issuer is not valid at the root issuer, and root clients are foreign here', async () => {
  const { result } = await codeFlow();
  const atRoot = await fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${result.access_token}` } });
  expect(atRoot.status).toBe(401);
  expect(atRoot.headers.get('www-authenticate')).toMatch(/invalid_token/);
  const rootClient = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme), json: { client_id: 'root-app', name: 'Root app', tenant_id: acme.id, redirect_uris: [REDIRECT] },
  });
  const foreign = await oauth.clientCredentialsGrantRequest(as, { client_id: 'root-app' }, oauth.ClientSecretBasic(rootClient.body.client_secret), {}, insecure);
  expect(foreign.status).toBe(401);
  const page = await new Browser().request(`${as.authorization_endpoint}?client_id=root-app&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code`);
  expect(page.status).toBe(400);
});

test('Secrets Vault token aliases: POST /token with tenant_id and POST /{tenant_id}/token', async () => {
  const form = (extra: Record<string, string>) => ({
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'kc-app', client_secret: secret, scope: 'phone', ...extra }),
  });
  const viaForm = await fetch(`${server.url}/token`, form({ tenant_id: TENANT }));
  expect(viaForm.status).toBe(200);
  const body = await viaForm.json() as any;
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 86400, scope: 'phone' });
  const viaPath = await fetch(`${server.url}/${TENANT}/token`, form({}));
  expect(viaPath.status).toBe(200);
  const unknown = await fetch(`${server.url}/token`, form({ tenant_id: 'nope' }));
  expect(unknown.status).toBe(404);
  const wrong = await fetch(`${server.url}/${TENANT}/token`, form({ client_secret: 'wrong-secret-value' }));
  expect(wrong.status).toBe(401);
  expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
});

test('GET /user/me with the access token; 401 without', async () => {
  const { result } = await codeFlow();
  const me = await call(server.url, 'GET', '/user/me', { headers: { authorization: `Bearer ${result.access_token}` } });
  expect(me.status).toBe(200);
  expect(me.body).toMatchObject({ user_id: personId, username: 'grace', tenant_id: TENANT, is_disabled: false, roles: [] });
  expect((await call(server.url, 'GET', '/user/me')).status).toBe(401);
  expect((await call(server.url, 'GET', '/user/me', { headers: { authorization: `Bearer ${result.access_token}x` } })).status).toBe(401);
});

test('logout at the realm and at the Vault alias /logout: registered URI only, state carried', async () => {
  const { result, browser } = await codeFlow();
  const bad = await browser.request(`${as.end_session_endpoint}?id_token_hint=${result.id_token}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`);
  expect(bad.status).toBe(400);
  const r = await browser.request(`${server.url}/logout`, { form: { id_token_hint: result.id_token!, post_logout_redirect_uri: LOGOUT, state: 'st' } });
  expect(r.status).toBe(303);
  expect(r.location).toBe(`${LOGOUT}?state=st`);
  const tampered = result.id_token!.slice(0, -4) + 'AAAA';
  expect((await browser.request(`${as.end_session_endpoint}?id_token_hint=${tampered}`)).status).toBe(400);
});
