// Passkeys on the Secrets Vault face, with a software authenticator that makes real ES256
// signatures (test/helpers/webauthn.ts): register, list, rename, delete; sign in usernameless and
// username-first; and every refusal — no or foreign credentials, bad bodies, a replayed or expired
// challenge, a tampered signature, a foreign origin or RP id, a counter that goes back, passkeys
// turned off for the tenant.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, registerUser } from '../helpers/zkp.ts';
import { FLAGS, SoftAuthenticator, tampered } from '../helpers/webauthn.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let adaKey: string;
let bobKey: string;
let readOnlyKey: string;
let adaId: string;
let olgaKey: string;

const withKey = (key: string) => ({ headers: { 'X-API-Key': key } });

async function userKey(org: TestOrg, username: string, scopes: string[]) {
  const user = await call(server.url, 'GET', `/tenants/${org.id}/users/by-username/${username}`, { headers: vaultHeaders(org) });
  const r = await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(org), json: { name: 'passkeys', scopes, tenant_id: org.id, user_id: user.body.user_id },
  });
  if (r.status !== 201) throw new Error(`userKey: ${r.status} ${r.text}`);
  return { key: r.body.api_key as string, id: user.body.user_id as string };
}

/** options → authenticator → verify, for `key`'s person. */
async function registerWith(key: string, authenticator: SoftAuthenticator, name?: string) {
  const options = await call(server.url, 'POST', '/webauthn/register/options', withKey(key));
  expect(options.status).toBe(200);
  const { body } = authenticator.register(options.body);
  return call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(key), json: { ...body, ...(name ? { name } : {}) } });
}

const authOptions = (tenantId: string, username?: string, query = '') =>
  call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${tenantId}${query}`, { json: username ? { username } : {} });
const authVerify = (tenantId: string, body: Record<string, unknown>, query = '') =>
  call(server.url, 'POST', `/webauthn/authenticate/verify?tenant_id=${tenantId}${query}`, { json: body });

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await enableRegistration(server.url, acme, acme.id, { passkey_enabled: true });
  await enableRegistration(server.url, other, other.id, { passkey_enabled: true });
  await registerUser(server.url, acme.id, 'ada', 'ada secret');
  await registerUser(server.url, acme.id, 'bob', 'bob secret');
  await registerUser(server.url, other.id, 'olga', 'olga secret');
  ({ key: adaKey, id: adaId } = await userKey(acme, 'ada', ['passkeys:read', 'passkeys:write']));
  bobKey = (await userKey(acme, 'bob', ['passkeys:read', 'passkeys:write'])).key;
  readOnlyKey = (await userKey(acme, 'ada', ['passkeys:read'])).key;
  olgaKey = (await userKey(other, 'olga', ['passkeys:read', 'passkeys:write'])).key;
});
afterAll(() => server.close());

describe('registration', () => {
  test('options carry the RP, the user handle and a stored single-use challenge; verify stores the passkey', async () => {
    const authenticator = new SoftAuthenticator(server.url);
    const options = await call(server.url, 'POST', '/webauthn/register/options', withKey(adaKey));
    expect(options.status).toBe(200);
    expect(options.headers.get('cache-control')).toBe('no-store');
    expect(options.body).toMatchObject({
      rp: { id: '127.0.0.1', name: 'Login tenant' }, user: { name: 'ada', id: Buffer.from(adaId).toString('base64url') },
      attestation: 'none', authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const [row] = await server.sql(`select purpose, person_id, used_at from webauthn_challenge where challenge = $1`, [options.body.challenge]);
    expect(row).toEqual({ purpose: 'register', person_id: adaId, used_at: null });
    const { body, passkey } = authenticator.register(options.body);
    const verified = await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(adaKey), json: { ...body, name: 'Laptop' } });
    expect(verified.status).toBe(200);
    expect(verified.body).toBeNull();
    const list = await call(server.url, 'GET', '/user/me/passkeys', withKey(adaKey));
    expect(list.status).toBe(200);
    expect(list.body.passkeys).toEqual([{
      id: expect.any(String), created_at: expect.any(String), name: 'Laptop', last_use: null, transports: ['internal'],
      backed_up: false, device_type: 'singleDevice',
    }]);
    const [stored] = await server.sql(`select type, label, secret, params from credential where id = $1`, [list.body.passkeys[0].id]);
    expect(stored).toMatchObject({
      type: 'public-key', label: 'Laptop', secret: null,
      params: { webauthn_credential_id: passkey.id.toString('base64url'), attestation_type: 'none', counter: 0 },
    });
    // the same answer again: the challenge is spent
    const replay = await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(adaKey), json: body });
    expect(replay.status).toBe(400);
    expect(replay.body.detail).toMatch(/challenge is unknown, already used or expired/);
  });

  test('refusals: no or read-only credentials, an organization key, bad bodies, a foreign origin or challenge', async () => {
    const before = await server.sql(`select count(*)::int as n from credential where type = 'public-key'`);
    expect((await call(server.url, 'POST', '/webauthn/register/options')).status).toBe(401);
    expect((await call(server.url, 'POST', '/webauthn/register/options', withKey('idgu_nope'))).status).toBe(401);
    expect((await call(server.url, 'POST', '/webauthn/register/options', withKey(readOnlyKey))).status).toBe(403);
    expect((await call(server.url, 'POST', '/webauthn/register/options', { headers: vaultHeaders(acme) })).status).toBe(403);
    expect((await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(adaKey), json: {} })).status).toBe(422);
    expect((await call(server.url, 'POST', '/webauthn/register/verify', {
      ...withKey(adaKey), json: { id: 'a', raw_id: 'a', client_data_json: 'not base64url!', attestation_object: 'a' },
    })).status).toBe(422);
    const garbage = await call(server.url, 'POST', '/webauthn/register/verify', {
      ...withKey(adaKey), json: { id: 'AA', raw_id: 'AA', client_data_json: 'AAAA', attestation_object: 'AAAA' },
    });
    expect(garbage.status).toBe(400);
    // a page of another origin asked the authenticator
    const options = await call(server.url, 'POST', '/webauthn/register/options', withKey(adaKey));
    const phished = new SoftAuthenticator('https://evil.example', '127.0.0.1').register(options.body);
    const crossOrigin = await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(adaKey), json: phished.body });
    expect(crossOrigin.status).toBe(400);
    expect(crossOrigin.body.detail).toMatch(/origin/i);
    // bob answers ada's challenge
    const adaOptions = await call(server.url, 'POST', '/webauthn/register/options', withKey(adaKey));
    const stolen = new SoftAuthenticator(server.url).register(adaOptions.body);
    expect((await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(bobKey), json: stolen.body })).status).toBe(400);
    // a user of another tenant answers it
    expect((await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(olgaKey), json: stolen.body })).status).toBe(400);
    // a wrong RP id in authenticatorData
    const wrongRp = await call(server.url, 'POST', '/webauthn/register/options', withKey(adaKey));
    const rp = new SoftAuthenticator(server.url).register(wrongRp.body, { rpId: 'evil.example' });
    expect((await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(adaKey), json: rp.body })).status).toBe(400);
    expect(await server.sql(`select count(*)::int as n from credential where type = 'public-key'`)).toEqual(before);
  });

  test('an expired challenge is refused; excludeCredentials lists the passkeys held; the same credential again is a conflict', async () => {
    const options = await call(server.url, 'POST', '/webauthn/register/options', withKey(bobKey));
    await server.sql(`update webauthn_challenge set expires_at = now() - interval '1 second' where challenge = $1`, [options.body.challenge]);
    const late = new SoftAuthenticator(server.url).register(options.body);
    expect((await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(bobKey), json: late.body })).status).toBe(400);

    const authenticator = new SoftAuthenticator(server.url);
    expect((await registerWith(bobKey, authenticator)).status).toBe(200);
    const again = await call(server.url, 'POST', '/webauthn/register/options', withKey(bobKey));
    expect(again.body.excludeCredentials).toEqual([{ id: authenticator.passkeys[0].id.toString('base64url'), type: 'public-key', transports: ['internal'] }]);
    // an authenticator that ignores excludeCredentials answers with the same credential again: 409
    const dup = authenticator.register(again.body, { reuse: authenticator.passkeys[0] });
    const conflict = await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(bobKey), json: dup.body });
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toBe('This passkey is already registered at this tenant');
    // nor can another user of the tenant take it over
    const adaOptions = await call(server.url, 'POST', '/webauthn/register/options', withKey(adaKey));
    const takeover = authenticator.register(adaOptions.body, { reuse: authenticator.passkeys[0] });
    expect((await call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(adaKey), json: takeover.body })).status).toBe(409);
  });

  test('parallel verifies of one registration answer: one passkey', async () => {
    const authenticator = new SoftAuthenticator(server.url);
    const options = await call(server.url, 'POST', '/webauthn/register/options', withKey(bobKey));
    const { body, passkey } = authenticator.register(options.body);
    const replies = await Promise.all(Array.from({ length: 6 }, () =>
      call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(bobKey), json: body })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
    const rows = await server.sql(`select id from credential where params->>'webauthn_credential_id' = $1`, [passkey.id.toString('base64url')]);
    expect(rows).toHaveLength(1);
    // one credential answering two challenges at once: the unique index lets one in, the other is a 409
    const [o1, o2] = await Promise.all([1, 2].map(() => call(server.url, 'POST', '/webauthn/register/options', withKey(bobKey))));
    const first = authenticator.register(o1.body);
    const second = authenticator.register(o2.body, { reuse: first.passkey });
    const both = await Promise.all([first, second].map((a) => call(server.url, 'POST', '/webauthn/register/verify', { ...withKey(bobKey), json: a.body })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe('sign-in', () => {
  let authenticator: SoftAuthenticator;
  beforeAll(async () => {
    authenticator = new SoftAuthenticator(server.url);
    const { key } = await userKey(acme, 'ada', ['passkeys:write']);
    expect((await registerWith(key, authenticator, 'Phone')).status).toBe(200);
  });

  test('usernameless: empty allow list, the discoverable credential answers, a login ticket comes back', async () => {
    const options = await authOptions(acme.id);
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({ rpId: '127.0.0.1', userVerification: 'preferred', challenge: expect.any(String) });
    expect(options.body.allowCredentials ?? []).toEqual([]);
    const r = await authVerify(acme.id, authenticator.assert(options.body));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), need_verify: false });
    const [ticket] = await server.sql(`select method, person_id from login_ticket order by created_at desc limit 1`);
    expect(ticket).toEqual({ method: 'passkey', person_id: adaId });
    // announced to webhooks like every other sign-in
    const [event] = await server.sql(`select content from event_outbox where event_name = 'AuthenticationSucceeded_v1'
      and content->>'person_id' = $1 and content->>'authentication_method' = 'passkey'`, [adaId]);
    expect(event).toBeDefined();
    const list = await call(server.url, 'GET', '/user/me/passkeys', withKey(adaKey));
    const phone = list.body.passkeys.find((p: { name: string }) => p.name === 'Phone');
    expect(phone.last_use).toEqual({ date: expect.any(String), ip: '127.0.0.1', country: null, user_agent: expect.any(String) });
  });

  test('username-first lists the person\'s passkeys; an unknown name gets a stand-in, the same each time', async () => {
    const known = await authOptions(acme.id, 'ada');
    expect(known.body.allowCredentials.map((c: { id: string }) => c.id)).toContain(authenticator.passkeys[0].id.toString('base64url'));
    const unknown1 = await authOptions(acme.id, 'nobody');
    const unknown2 = await authOptions(acme.id, 'nobody');
    expect(unknown1.status).toBe(200);
    expect(unknown1.body.allowCredentials).toHaveLength(1);
    expect(unknown1.body.allowCredentials).toEqual(unknown2.body.allowCredentials);
    expect(Object.keys(unknown1.body).sort()).toEqual(Object.keys(known.body).sort());
    expect((await authVerify(acme.id, authenticator.assert(known.body))).status).toBe(200);
    // bob's options: ada's passkey does not answer them
    const bobs = await authOptions(acme.id, 'bob');
    expect((await authVerify(acme.id, authenticator.assert(bobs.body, { passkey: authenticator.passkeys[0] }))).status).toBe(401);
  });

  test('a replayed assertion, a tampered signature, a foreign origin or RP, a going-back counter: all 401', async () => {
    const options = await authOptions(acme.id);
    const body = authenticator.assert(options.body);
    expect((await authVerify(acme.id, body)).status).toBe(200);
    const replay = await authVerify(acme.id, body);
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toBe('The passkey sign-in was not accepted; request new options and try again');

    const fresh = async () => (await authOptions(acme.id)).body;
    expect((await authVerify(acme.id, tampered(authenticator.assert(await fresh()), 'signature'))).status).toBe(401);
    expect((await authVerify(acme.id, tampered(authenticator.assert(await fresh()), 'authenticator_data', 33))).status).toBe(401);
    expect((await authVerify(acme.id, authenticator.assert(await fresh(), { origin: 'https://evil.example' }))).status).toBe(401);
    expect((await authVerify(acme.id, authenticator.assert(await fresh(), { rpId: 'evil.example' }))).status).toBe(401);
    // a cloned authenticator: the counter goes back below the last one accepted (3 sign-ins so far)
    const [{ counter }] = await server.sql(`select (params->>'counter')::int as counter from credential where params->>'webauthn_credential_id' = $1`,
      [authenticator.passkeys[0].id.toString('base64url')]);
    expect(counter).toBeGreaterThanOrEqual(3);
    expect((await authVerify(acme.id, authenticator.assert(await fresh(), { counter: counter - 1 }))).status).toBe(401);
    expect((await authVerify(acme.id, authenticator.assert(await fresh(), { counter }))).status).toBe(401);
    // user presence missing
    expect((await authVerify(acme.id, authenticator.assert(await fresh(), { flags: FLAGS.UV }))).status).toBe(401);
    // another tenant's challenge, or the tenant of another user
    expect((await authVerify(other.id, authenticator.assert(await fresh()))).status).toBe(401);
    const otherOptions = (await authOptions(other.id)).body;
    expect((await authVerify(other.id, authenticator.assert(otherOptions))).status).toBe(401);
    // a user handle that is not the passkey's person
    const wrongHandle = { ...authenticator.assert(await fresh()), user_handle: Buffer.from('someone-else').toString('base64url') };
    expect((await authVerify(acme.id, wrongHandle)).status).toBe(401);
    // an expired challenge
    const late = await fresh();
    await server.sql(`update webauthn_challenge set expires_at = now() - interval '1 second' where challenge = $1`, [late.challenge]);
    expect((await authVerify(acme.id, authenticator.assert(late))).status).toBe(401);
    // still works afterwards
    expect((await authVerify(acme.id, authenticator.assert(await fresh()))).status).toBe(200);
  });

  test('parallel verifies of one assertion: exactly one ticket', async () => {
    const body = authenticator.assert((await authOptions(acme.id)).body);
    const replies = await Promise.all(Array.from({ length: 6 }, () => authVerify(acme.id, body)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
  });

  test('bad bodies and tenants: 422 or 404, nothing issued', async () => {
    expect((await call(server.url, 'POST', '/webauthn/authenticate/options', { json: {} })).status).toBe(422);
    expect((await call(server.url, 'POST', '/webauthn/authenticate/options?tenant_id=nope', { json: {} })).status).toBe(404);
    expect((await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${acme.id}`, { json: { tenant_id: other.id } })).status).toBe(422);
    expect((await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${acme.id}`, { json: { username: 5 } })).status).toBe(422);
    expect((await call(server.url, 'POST', `/webauthn/authenticate/options?auth_req_id=nope`, { json: {} })).status).toBe(404);
    expect((await authVerify(acme.id, {})).status).toBe(422);
    expect((await authVerify(acme.id, { id: 'AA', raw_id: 'AA', client_data_json: 'AA', authenticator_data: 'AA', signature: 'AA' })).status).toBe(401);
    const body = authenticator.assert((await authOptions(acme.id)).body);
    expect((await authVerify(acme.id, { ...body, signature: 'has spaces' })).status).toBe(422);
    expect((await authVerify(acme.id, { ...body, raw_id: 'AAAA', id: 'AAAA' })).status).toBe(401); // unknown credential
  });
});

describe('managing passkeys', () => {
  test('rename and delete one\'s own; another user\'s or an unknown id is 404; bad names 422', async () => {
    const authenticator = new SoftAuthenticator(server.url);
    expect((await registerWith(bobKey, authenticator, 'Key')).status).toBe(200);
    const list = await call(server.url, 'GET', '/user/me/passkeys', withKey(bobKey));
    const id = list.body.passkeys.find((p: { name: string }) => p.name === 'Key').id;
    const renamed = await call(server.url, 'PATCH', `/user/me/passkeys/${id}`, { ...withKey(bobKey), json: { name: 'YubiKey' } });
    expect(renamed.status).toBe(200);
    expect((await call(server.url, 'GET', '/user/me/passkeys', withKey(bobKey))).body.passkeys.map((p: { name: string }) => p.name)).toContain('YubiKey');
    expect((await call(server.url, 'PATCH', `/user/me/passkeys/${id}`, { ...withKey(adaKey), json: { name: 'mine' } })).status).toBe(404);
    expect((await call(server.url, 'PATCH', `/user/me/passkeys/${id}`, { ...withKey(olgaKey), json: { name: 'mine' } })).status).toBe(404);
    expect((await call(server.url, 'PATCH', `/user/me/passkeys/nope`, { ...withKey(bobKey), json: { name: 'x' } })).status).toBe(404);
    expect((await call(server.url, 'PATCH', `/user/me/passkeys/${id}`, { ...withKey(bobKey), json: {} })).status).toBe(422);
    expect((await call(server.url, 'PATCH', `/user/me/passkeys/${id}`, { ...withKey(bobKey), json: { name: '   ' } })).status).toBe(422);
    expect((await call(server.url, 'PATCH', `/user/me/passkeys/${id}`, { ...withKey(bobKey), json: { name: 'x'.repeat(256) } })).status).toBe(422);
    expect((await call(server.url, 'PATCH', `/user/me/passkeys/${id}`, { json: { name: 'x' } })).status).toBe(401);
    expect((await call(server.url, 'DELETE', `/user/me/passkeys/${id}`, withKey(readOnlyKey))).status).toBe(403);
    expect((await call(server.url, 'DELETE', `/user/me/passkeys/${id}`, withKey(adaKey))).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/user/me/passkeys/${id}`, withKey(bobKey))).status).toBe(204);
    expect((await call(server.url, 'DELETE', `/user/me/passkeys/${id}`, withKey(bobKey))).status).toBe(404);
    // a deleted passkey signs nobody in
    const options = (await authOptions(acme.id)).body;
    expect((await authVerify(acme.id, authenticator.assert(options))).status).toBe(401);
    expect((await call(server.url, 'GET', '/user/me/passkeys')).status).toBe(401);
    expect((await call(server.url, 'DELETE', `/user/me/passkeys/${id}`)).status).toBe(401);
    expect((await call(server.url, 'DELETE', `/user/me/passkeys/${id}`, { headers: vaultHeaders(acme) })).status).toBe(403);
    // each user lists their own only
    expect((await call(server.url, 'GET', '/user/me/passkeys', withKey(olgaKey))).body).toEqual({ passkeys: [] });
  });

  test('a tenant without passkey_enabled refuses the ceremonies (403) but still lists', async () => {
    const off = await server.createOrg('Off');
    await enableRegistration(server.url, off, off.id, { passkey_enabled: false });
    await registerUser(server.url, off.id, 'carl', 'carl secret');
    const { key } = await userKey(off, 'carl', ['passkeys:read', 'passkeys:write']);
    const options = await call(server.url, 'POST', '/webauthn/register/options', withKey(key));
    expect(options.status).toBe(403);
    expect(options.body.detail).toMatch(/passkey_enabled/);
    expect((await authOptions(off.id)).status).toBe(403);
    expect((await call(server.url, 'GET', '/user/me/passkeys', withKey(key))).body).toEqual({ passkeys: [] });
  });
});
