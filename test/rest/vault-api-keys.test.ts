import crypto from 'node:crypto';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, fromIp, login, registerUser } from '../helpers/zkp.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let adaId: string;
let bobId: string;
let otherUserId: string;

const as = (org: TestOrg) => ({ headers: vaultHeaders(org) });
const withKey = (key: string, more: Record<string, string> = {}) => ({ headers: { 'X-API-Key': key, ...more } });
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

async function userId(org: TestOrg, tenantId: string, username: string) {
  const r = await call(server.url, 'GET', `/tenants/${tenantId}/users/by-username/${username}`, as(org));
  return r.body.user_id as string;
}

async function createKey(org: TestOrg | string, json: Record<string, unknown>) {
  return call(server.url, 'POST', '/api-keys', { ...(typeof org === 'string' ? withKey(org) : as(org)), json });
}

beforeAll(async () => {
  server = await startTestServer({ trustProxyHops: 1, outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await enableRegistration(server.url, acme, acme.id);
  await enableRegistration(server.url, other, other.id);
  await registerUser(server.url, acme.id, 'ada', 'ada secret');
  await registerUser(server.url, acme.id, 'bob', 'bob secret');
  await registerUser(server.url, other.id, 'olga', 'olga secret');
  adaId = await userId(acme, acme.id, 'ada');
  bobId = await userId(acme, acme.id, 'bob');
  otherUserId = await userId(other, other.id, 'olga');
});
afterAll(() => server.close());

describe('POST /api-keys', () => {
  test('an organization key creates a key for a user: shown once, stored as SHA-256', async () => {
    const r = await call(server.url, 'POST', '/api-keys', {
      headers: { ...vaultHeaders(acme), 'User-Agent': CHROME, 'X-Forwarded-For': '192.0.2.1' },
      json: { name: 'ci', scopes: ['users:read'], tenant_id: acme.id, user_id: adaId },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toEqual({
      key_id: expect.any(String), key_hash: expect.stringMatching(/^[0-9a-f]{16}$/), user_id: adaId, tenant_id: acme.id,
      created_at: {
        at: expect.any(String), ip: '192.0.2.1', country: null, user_agent: CHROME,
        user_agent_parsed: { browser: 'Chrome 120.0.0.0', os: 'Windows 10', device: null, is_mobile: false, is_tablet: false, is_pc: true, is_bot: false },
      },
      name: 'ci', scopes: ['users:read'], last_use_at: null, is_active: true, username: 'ada',
      api_key: expect.stringMatching(/^idgu_[A-Za-z0-9_-]{43}$/),
    });
    const [row] = await server.sql(`select key_hash from user_api_key where id = $1`, [r.body.key_id]);
    expect(row.key_hash).toBe(crypto.createHash('sha256').update(r.body.api_key).digest('hex'));
    expect(JSON.stringify(await server.sql(`select * from user_api_key`))).not.toContain(r.body.api_key);
  });

  test.each([
    ['missing fields', { name: 'x' }],
    ['an unknown scope', { name: 'x', scopes: ['root'], tenant_id: 'T', user_id: 'U' }],
    ['a wrong type', { name: 'x', scopes: 'users:read', tenant_id: 'T', user_id: 'U' }],
    ['an oversize name', { name: 'n'.repeat(200), scopes: [], tenant_id: 'T', user_id: 'U' }],
    ['no user_id with an organization key', { name: 'x', scopes: [], tenant_id: 'T' }],
  ])('answers 422 for %s', async (_, json: any) => {
    const body = JSON.parse(JSON.stringify(json).replace('"T"', JSON.stringify(acme.id)).replace('"U"', JSON.stringify(adaId)));
    const before = await server.sql('select count(*)::int as n from user_api_key');
    const r = await createKey(acme, body);
    expect(r.status).toBe(422);
    expect(Array.isArray(r.body.detail)).toBe(true);
    expect(await server.sql('select count(*)::int as n from user_api_key')).toEqual(before);
  });

  test('answers 401 without or with a wrong key, 404 for another organization\'s tenant or user', async () => {
    const json = { name: 'x', scopes: [], tenant_id: acme.id, user_id: adaId };
    expect((await call(server.url, 'POST', '/api-keys', { json })).status).toBe(401);
    expect((await createKey('idgu_wrong', json)).status).toBe(401);
    expect((await createKey('wrong', json)).status).toBe(401);
    expect((await createKey(other, json)).status).toBe(404);
    expect((await createKey(acme, { ...json, user_id: otherUserId })).status).toBe(404);
    expect((await createKey(acme, { ...json, tenant_id: other.id, user_id: otherUserId })).status).toBe(404);
  });
});

describe('a per-user key', () => {
  let adaKey: string;
  let adaKeyId: string;

  beforeAll(async () => {
    const r = await createKey(acme, {
      name: 'ada all', tenant_id: acme.id, user_id: adaId,
      scopes: ['users:read', 'api-keys:read', 'api-keys:write', 'sessions:read', 'sessions:write'],
    });
    adaKey = r.body.api_key;
    adaKeyId = r.body.key_id;
  });

  test('authenticates X-API-Key calls within its scopes and its own tenant', async () => {
    const list = await call(server.url, 'GET', `/tenants/${acme.id}/users`, withKey(adaKey));
    expect(list.status).toBe(200);
    expect(list.body.total_count).toBe(2);
    expect((await call(server.url, 'GET', `/tenants/${other.id}/users`, withKey(adaKey))).status).toBe(404);
    const create = await call(server.url, 'POST', `/tenants/${acme.id}/users`, {
      ...withKey(adaKey), json: { username: 'eve', email: 'eve@example.com' },
    });
    expect(create.status).toBe(403);
    expect(create.body.detail).toMatch(/users:write/);
    expect(await server.sql(`select 1 from handle where normalized = 'eve'`)).toHaveLength(0);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}`, withKey(adaKey))).status).toBe(403);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips`, withKey(adaKey))).status).toBe(403);
  });

  test('also works as a Bearer token', async () => {
    const r = await call(server.url, 'GET', `/tenants/${acme.id}/users`, { headers: { Authorization: `Bearer ${adaKey}` } });
    expect(r.status).toBe(200);
  });

  test('GET /user/me/api-keys lists the caller\'s own keys; an organization key has no "me"', async () => {
    const mine = await call(server.url, 'GET', '/user/me/api-keys', withKey(adaKey));
    expect(mine.status).toBe(200);
    expect(mine.body.api_keys.map((k: any) => k.username)).toEqual(['ada', 'ada']);
    expect(mine.body.api_keys.every((k: any) => k.user_id === adaId && !('api_key' in k))).toBe(true);
    expect((await call(server.url, 'GET', '/user/me/api-keys', as(acme))).status).toBe(403);
    expect((await call(server.url, 'GET', '/user/me/api-keys')).status).toBe(401);
  });

  test('records last use at most once a minute', async () => {
    const [first] = await server.sql(`select last_use, last_used_at from user_api_key where id = $1`, [adaKeyId]);
    expect(first.last_used_at).not.toBeNull();
    await call(server.url, 'GET', `/tenants/${acme.id}/users`, withKey(adaKey));
    const [second] = await server.sql(`select last_used_at from user_api_key where id = $1`, [adaKeyId]);
    expect(second.last_used_at).toEqual(first.last_used_at);
    const mine = await call(server.url, 'GET', '/user/me/api-keys', withKey(adaKey));
    expect(mine.body.api_keys.find((k: any) => k.key_id === adaKeyId).last_use_at).toMatchObject({ at: expect.any(String) });
  });

  test('creates keys for itself only, never with more scopes than it has', async () => {
    const ok = await createKey(adaKey, { name: 'narrow', scopes: ['users:read'], tenant_id: acme.id });
    expect(ok.status).toBe(201);
    expect(ok.body.user_id).toBe(adaId);
    const wider = await createKey(adaKey, { name: 'wide', scopes: ['users:write'], tenant_id: acme.id });
    expect(wider.status).toBe(403);
    expect((await createKey(adaKey, { name: 'bob', scopes: [], tenant_id: acme.id, user_id: bobId })).status).toBe(403);
    expect((await createKey(adaKey, { name: 'x', scopes: [], tenant_id: other.id })).status).toBe(404);
    const narrow = ok.body.api_key;
    expect((await createKey(narrow, { name: 'y', scopes: [], tenant_id: acme.id })).status).toBe(403);
  });

  test('regenerate: the new key works, the old one stops at once', async () => {
    const created = await createKey(acme, { name: 'rot', scopes: ['users:read'], tenant_id: acme.id, user_id: bobId });
    const r = await call(server.url, 'POST', `/api-keys/${created.body.key_id}/regenerate`, as(acme));
    expect(r.status).toBe(200);
    expect(r.body.key_id).toBe(created.body.key_id);
    expect(r.body.api_key).not.toBe(created.body.api_key);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/users`, withKey(created.body.api_key))).status).toBe(401);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/users`, withKey(r.body.api_key))).status).toBe(200);
    // Ada may not regenerate Bob's key; another organization cannot see it.
    expect((await call(server.url, 'POST', `/api-keys/${created.body.key_id}/regenerate`, withKey(adaKey))).status).toBe(404);
    expect((await call(server.url, 'POST', `/api-keys/${created.body.key_id}/regenerate`, as(other))).status).toBe(404);
    expect((await call(server.url, 'POST', '/api-keys/not-an-id/regenerate', as(acme))).status).toBe(404);
    expect((await call(server.url, 'POST', `/api-keys/${crypto.randomUUID()}/regenerate`, as(acme))).status).toBe(404);
  });

  test('PATCH is_active=false stops the key at once; true brings it back', async () => {
    const created = await createKey(acme, { name: 'off', scopes: ['users:read'], tenant_id: acme.id, user_id: bobId });
    const key = created.body.api_key;
    const off = await call(server.url, 'PATCH', `/api-keys/${created.body.key_id}`, { ...as(acme), json: { is_active: false } });
    expect(off.status).toBe(200);
    expect(off.body.is_active).toBe(false);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/users`, withKey(key))).status).toBe(401);
    expect((await call(server.url, 'PATCH', `/api-keys/${created.body.key_id}`, { ...as(other), json: { is_active: true } })).status).toBe(404);
    expect((await call(server.url, 'PATCH', `/api-keys/${created.body.key_id}`, { ...as(acme), json: { is_active: 'no' } })).status).toBe(422);
    expect((await call(server.url, 'PATCH', `/api-keys/${created.body.key_id}`, { ...as(acme), json: { is_active: true, name: 'on' } })).status).toBe(200);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/users`, withKey(key))).status).toBe(200);
  });

  test('a disabled user\'s key stops working', async () => {
    const created = await createKey(acme, { name: 'dis', scopes: ['users:read'], tenant_id: acme.id, user_id: bobId });
    await server.sql(`update person set active = false where id = $1`, [bobId]);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/users`, withKey(created.body.api_key))).status).toBe(401);
    await server.sql(`update person set active = true where id = $1`, [bobId]);
  });

  test('GET /user/me/sessions lists the sessions of ZKP logins with parsed user agents', async () => {
    const keys = await registerUser(server.url, acme.id, 'sessy', 'sessy secret');
    const sessyId = await userId(acme, acme.id, 'sessy');
    expect((await login(server.url, acme.id, keys, fromIp('192.0.2.9', { 'User-Agent': CHROME }))).status).toBe(200);
    expect((await login(server.url, acme.id, keys, fromIp('192.0.2.10', { 'User-Agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' }))).status).toBe(200);
    const key = (await createKey(acme, { name: 's', scopes: ['sessions:read', 'sessions:write'], tenant_id: acme.id, user_id: sessyId })).body.api_key;
    const r = await call(server.url, 'GET', '/user/me/sessions', withKey(key));
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
    const [bot, pc] = r.body.sessions;
    expect(pc).toEqual({
      session_id: expect.any(String), user_id: sessyId, tenant_id: acme.id, expires_at: expect.any(String),
      created: {
        at: expect.any(String), ip: '192.0.2.9', country: null, user_agent: CHROME,
        user_agent_parsed: expect.objectContaining({ browser: 'Chrome 120.0.0.0', is_pc: true, is_bot: false }),
      },
      token_issue: null, last_access: null,
    });
    expect(bot.created.user_agent_parsed).toMatchObject({ is_bot: true, is_pc: false });
    // Without the scope, and for an organization key, the route refuses.
    expect((await call(server.url, 'GET', '/user/me/sessions', withKey(adaKey))).status).toBe(200);
    const noScope = (await createKey(acme, { name: 'n', scopes: [], tenant_id: acme.id, user_id: sessyId })).body.api_key;
    expect((await call(server.url, 'GET', '/user/me/sessions', withKey(noScope))).status).toBe(403);
    expect((await call(server.url, 'GET', '/user/me/sessions', as(acme))).status).toBe(403);
    // Ending one: another user's session is not found; the own one ends.
    expect((await call(server.url, 'DELETE', `/user/me/sessions/${bot.session_id}`, withKey(adaKey))).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/user/me/sessions/${bot.session_id}`, withKey(key))).status).toBe(204);
    expect((await call(server.url, 'GET', '/user/me/sessions', withKey(key))).body.total).toBe(1);
    expect((await call(server.url, 'DELETE', `/user/me/sessions/${bot.session_id}`, withKey(key))).status).toBe(404);
  });
});

describe('GET /api-keys?tenant_id=', () => {
  test('lists every key of the tenant for an organization key, with usernames', async () => {
    const r = await call(server.url, 'GET', `/api-keys?tenant_id=${acme.id}`, as(acme));
    expect(r.status).toBe(200);
    expect(r.body.api_keys.length).toBeGreaterThan(3);
    expect(new Set(r.body.api_keys.map((k: any) => k.username))).toEqual(new Set(['ada', 'bob', 'sessy']));
    expect(r.body.api_keys.some((k: any) => 'api_key' in k)).toBe(false);
  });

  test('refuses a per-user key (403), another organization (404), no key (401), no tenant_id (422)', async () => {
    const key = (await createKey(acme, { name: 'k', scopes: ['api-keys:read'], tenant_id: acme.id, user_id: adaId })).body.api_key;
    expect((await call(server.url, 'GET', `/api-keys?tenant_id=${acme.id}`, withKey(key))).status).toBe(403);
    expect((await call(server.url, 'GET', `/api-keys?tenant_id=${acme.id}`, as(other))).status).toBe(404);
    expect((await call(server.url, 'GET', `/api-keys?tenant_id=${acme.id}`)).status).toBe(401);
    expect((await call(server.url, 'GET', '/api-keys', as(acme))).status).toBe(422);
  });
});

describe('sessions: token issue and last access', () => {
  test('recordTokenIssue and touchSession show in /user/me/sessions; last access is throttled', async () => {
    const { recordTokenIssue, touchSession } = await import('../../src/domain/session/session.service.ts');
    const keys = await registerUser(server.url, acme.id, 'toucher', 'toucher secret');
    const id = await userId(acme, acme.id, 'toucher');
    expect((await login(server.url, acme.id, keys, fromIp('192.0.2.20'))).status).toBe(200);
    const [session] = await server.sql(`select id from session where person_id = $1`, [id]);
    const em = server.db.orm.em.fork();
    await recordTokenIssue(em, session.id, { ip: '192.0.2.21', country: 'FR', userAgent: CHROME });
    await touchSession(em, session.id, { ip: '192.0.2.22', country: null, userAgent: 'curl/8.0' });
    await touchSession(em, session.id, { ip: '192.0.2.23', country: null, userAgent: 'curl/8.0' }); // within a minute: ignored
    const key = (await createKey(acme, { name: 's', scopes: ['sessions:read'], tenant_id: acme.id, user_id: id })).body.api_key;
    const r = await call(server.url, 'GET', '/user/me/sessions', withKey(key));
    expect(r.body.sessions[0].token_issue).toMatchObject({ ip: '192.0.2.21', country: 'FR', user_agent_parsed: { is_pc: true } });
    expect(r.body.sessions[0].last_access).toMatchObject({ ip: '192.0.2.22', user_agent: 'curl/8.0' });
  });
});

describe('/graphql with a per-user key', () => {
  const gql = (key: string, query: string) => call(server.url, 'POST', '/graphql', { ...withKey(key), json: { query } });

  test('the same scopes apply: own data only, nothing beyond the scopes', async () => {
    const key = (await createKey(acme, { name: 'g', scopes: ['users:read', 'sessions:read'], tenant_id: acme.id, user_id: adaId })).body.api_key;
    const me = await gql(key, '{ me { username sessions { id } } }');
    expect(me.body.data.me.username).toBe('ada');
    const settings = await gql(key, '{ organization { tenantSettings { pinSize } } }');
    expect(settings.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const tenants = await gql(key, '{ organizations { id } }');
    expect(tenants.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const others = await gql(key, `{ organization { person(id: "${bobId}") { username sessions { id } } } }`);
    expect(others.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const foreign = await gql(key, `{ organization(select: { id: "${other.id}" }) { id } }`);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const write = await gql(key, `mutation { createPerson(input: { handles: [{ type: username, value: "gqlx" }] }) { id } }`);
    expect(write.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
