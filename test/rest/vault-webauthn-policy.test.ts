// Passkey policy from configuration: WEBAUTHN_USER_VERIFICATION=required refuses ceremonies
// without user verification; WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS name the relying party and the
// extra origins allowed; bad values stop the start. And a tenant with is_2fa: a passkey sign-in
// without user verification needs the second factor (need_verify), one with it does not.
import { loadConfig } from '../../src/config.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, login, registerUser } from '../helpers/zkp.ts';
import { deriveZkpKeys } from '../../src/zkp/client.ts';
import { FLAGS, SoftAuthenticator } from '../helpers/webauthn.ts';

const RP = 'login.example.test';
let server: TestServer;
let org: TestOrg;
let key: string;

async function userKey(o: TestOrg, username: string) {
  const user = await call(server.url, 'GET', `/tenants/${o.id}/users/by-username/${username}`, { headers: vaultHeaders(o) });
  return (await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(o), json: { name: 'pk', scopes: ['passkeys:read', 'passkeys:write'], tenant_id: o.id, user_id: user.body.user_id },
  })).body.api_key as string;
}

const register = async (k: string, authenticator: SoftAuthenticator, flags?: number) => {
  const options = await call(server.url, 'POST', '/webauthn/register/options', { headers: { 'X-API-Key': k } });
  return { options, reply: await call(server.url, 'POST', '/webauthn/register/verify', { headers: { 'X-API-Key': k }, json: authenticator.register(options.body, { flags }).body }) };
};
const signIn = async (o: TestOrg, authenticator: SoftAuthenticator, ceremony: Parameters<SoftAuthenticator['assert']>[1] = {}) => {
  const options = await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${o.id}`, { json: {} });
  return call(server.url, 'POST', `/webauthn/authenticate/verify?tenant_id=${o.id}`, { json: authenticator.assert(options.body, ceremony) });
};

beforeAll(async () => {
  server = await startTestServer({
    outboxPollMs: 0, webauthnRpId: RP, webauthnOrigins: [`https://${RP}`, 'https://app.example.test'], webauthnUserVerification: 'required',
  });
  org = await server.createOrg('Strict');
  await enableRegistration(server.url, org, org.id, { passkey_enabled: true });
  await registerUser(server.url, org.id, 'uma', 'uma secret');
  key = await userKey(org, 'uma');
});
afterAll(() => server.close());

test('options name the configured RP and ask for user verification', async () => {
  const options = await call(server.url, 'POST', '/webauthn/register/options', { headers: { 'X-API-Key': key } });
  expect(options.body.rp.id).toBe(RP);
  expect(options.body.authenticatorSelection.userVerification).toBe('required');
  const auth = await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${org.id}`, { json: {} });
  expect(auth.body).toMatchObject({ rpId: RP, userVerification: 'required' });
});

test('user verification required: refused without it, at registration and at sign-in', async () => {
  const authenticator = new SoftAuthenticator(`https://${RP}`, RP);
  expect((await register(key, authenticator, FLAGS.UP)).reply.status).toBe(400);
  authenticator.passkeys.length = 0;
  expect((await register(key, authenticator)).reply.status).toBe(200);
  expect((await signIn(org, authenticator, { flags: FLAGS.UP })).status).toBe(401);
  expect((await signIn(org, authenticator)).status).toBe(200);
});

test('origins: PUBLIC_URL\'s and WEBAUTHN_ORIGINS pass, any other is refused; the RP id hash must be the configured one', async () => {
  const authenticator = new SoftAuthenticator(`https://${RP}`, RP);
  expect((await register(key, authenticator)).reply.status).toBe(200);
  expect((await signIn(org, authenticator, { origin: 'https://app.example.test' })).status).toBe(200);
  expect((await signIn(org, authenticator, { origin: server.url })).status).toBe(200);
  expect((await signIn(org, authenticator, { origin: 'https://evil.example.test' })).status).toBe(401);
  expect((await signIn(org, authenticator, { origin: `http://${RP}` })).status).toBe(401);
  expect((await signIn(org, authenticator, { rpId: '127.0.0.1' })).status).toBe(401);
  expect((await signIn(org, authenticator)).status).toBe(200);
});

test('is_2fa: a passkey sign-in without user verification needs the second factor', async () => {
  // a server that only prefers user verification
  const lenient = await startTestServer({ outboxPollMs: 0 });
  try {
    const tenant = await lenient.createOrg('Two factor');
    await enableRegistration(lenient.url, tenant, tenant.id, { passkey_enabled: true });
    await registerUser(lenient.url, tenant.id, 'vic', 'vic secret');
    await enableRegistration(lenient.url, tenant, tenant.id, { passkey_enabled: true, is_2fa: true });
    const user = await call(lenient.url, 'GET', `/tenants/${tenant.id}/users/by-username/vic`, { headers: vaultHeaders(tenant) });
    const k = (await call(lenient.url, 'POST', '/api-keys', {
      headers: vaultHeaders(tenant), json: { name: 'pk', scopes: ['passkeys:write'], tenant_id: tenant.id, user_id: user.body.user_id },
    })).body.api_key;
    const authenticator = new SoftAuthenticator(lenient.url);
    const options = await call(lenient.url, 'POST', '/webauthn/register/options', { headers: { 'X-API-Key': k } });
    expect((await call(lenient.url, 'POST', '/webauthn/register/verify', { headers: { 'X-API-Key': k }, json: authenticator.register(options.body).body })).status).toBe(200);
    const attempt = async (flags: number) => {
      const o = await call(lenient.url, 'POST', `/webauthn/authenticate/options?tenant_id=${tenant.id}`, { json: {} });
      return call(lenient.url, 'POST', `/webauthn/authenticate/verify?tenant_id=${tenant.id}`, { json: authenticator.assert(o.body, { flags }) });
    };
    expect((await attempt(FLAGS.UP)).body.need_verify).toBe(true);
    expect((await attempt(FLAGS.UP | FLAGS.UV)).body.need_verify).toBe(false);
  } finally {
    await lenient.close();
  }
});

test('a client blocked for failed sign-ins gets no passkey challenge (429), in that tenant only', async () => {
  const tenant = await server.createOrg('Blocking');
  await enableRegistration(server.url, tenant, tenant.id, { passkey_enabled: true, block_config: { ip_attempts_limit: 1, initial_block_seconds: 120 } });
  await registerUser(server.url, tenant.id, 'wes', 'wes secret');
  const wrong = await deriveZkpKeys('not the secret', { tenantId: tenant.id, username: 'wes' });
  expect((await login(server.url, tenant.id, wrong)).status).toBe(401);
  const before = await server.sql(`select count(*)::int as n from webauthn_challenge`);
  const refused = await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${tenant.id}`, { json: {} });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await server.sql(`select count(*)::int as n from webauthn_challenge`)).toEqual(before);
  expect((await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${org.id}`, { json: {} })).status).toBe(200);
});

test('bad WEBAUTHN_* values stop the start with a message', () => {
  expect(() => loadConfig({ WEBAUTHN_ORIGINS: 'not a url' })).toThrow(/WEBAUTHN_ORIGINS must list absolute origins/);
  expect(() => loadConfig({ WEBAUTHN_ORIGINS: 'https://a.example/path' })).toThrow(/origins only/);
  expect(() => loadConfig({ WEBAUTHN_USER_VERIFICATION: 'always' })).toThrow(/WEBAUTHN_USER_VERIFICATION must be/);
  expect(loadConfig({ WEBAUTHN_ORIGINS: 'https://a.example, https://b.example:8443/' }).webauthnOrigins)
    .toEqual(['https://a.example', 'https://b.example:8443']);
});
