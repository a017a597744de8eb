import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

const as = (org: TestOrg) => ({ headers: vaultHeaders(org) });
const user = (username: string, extra: Record<string, unknown> = {}) => ({ username, email: `${username}@example.com`, ...extra });

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  expect((await call(server.url, 'POST', `/tenants/${acme.id}/users`, { ...as(acme), json: user('existing') })).status).toBe(201);
});
afterAll(() => server.close());

describe('POST /tenants/{tenant_id}/users/batch', () => {
  test('creates each user on its own: duplicates and invalid entries are reported, not fatal', async () => {
    const r = await call(server.url, 'POST', `/tenants/${acme.id}/users/batch`, {
      ...as(acme),
      json: {
        users: [
          user('alpha'), user('beta', { is_disabled: true, locale: 'fr' }),
          user('existing'), user('alpha2', { email: 'alpha@example.com' }), // taken username, taken email
          user('bad name'), { email: 'nouser@example.com' }, user('gamma', { tenant_id: other.id }),
          user('delta', { roles: ['admin'] }), // unknown role: fails in the domain
          user('alpha'), // a duplicate inside the batch
        ],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      success_created_count: 2,
      fail_create_usernames: ['bad name', '', 'gamma', 'delta'],
      duplicate_usernames: ['existing', 'alpha2', 'alpha'],
    });
    const names = (await server.sql(`select normalized from handle where type = 'username' and organization_id = $1 order by 1`, [acme.id]))
      .map((r) => r.normalized);
    expect(names).toEqual(['alpha', 'beta', 'existing']);
    const beta = await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/beta`, as(acme));
    expect(beta.body).toMatchObject({ is_disabled: true, locale: 'fr' });
  });

  test('answers 422 for malformed bodies, 401 without a key, 404 for another organization (nothing created)', async () => {
    const before = await server.sql('select count(*)::int as n from person');
    for (const json of [{}, { users: 'x' }, { users: Array.from({ length: 501 }, (_, i) => user(`u${i}`)) }, []]) {
      const r = await call(server.url, 'POST', `/tenants/${acme.id}/users/batch`, { ...as(acme), json });
      expect(r.status).toBe(422);
      expect(Array.isArray(r.body.detail)).toBe(true);
    }
    expect((await call(server.url, 'POST', `/tenants/${acme.id}/users/batch`, { ...as(acme), raw: '{"users": [' })).status).toBe(422);
    expect((await call(server.url, 'POST', `/tenants/${acme.id}/users/batch`, { json: { users: [user('zz')] } })).status).toBe(401);
    expect((await call(server.url, 'POST', `/tenants/${acme.id}/users/batch`, { ...as(other), json: { users: [user('zz')] } })).status).toBe(404);
    expect((await call(server.url, 'POST', `/tenants/nope/users/batch`, { ...as(acme), json: { users: [user('zz')] } })).status).toBe(404);
    expect(await server.sql('select count(*)::int as n from person')).toEqual(before);
  });
});

describe('POST /tenants/{tenant_id}/users/batch-delete', () => {
  test('deletes the tenant\'s users among users_ids; unknown and foreign ids are ignored', async () => {
    const foreign = await call(server.url, 'POST', `/tenants/${other.id}/users`, { ...as(other), json: user('foreign') });
    const alpha = await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/alpha`, as(acme));
    const beta = await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/beta`, as(acme));
    const r = await call(server.url, 'POST', `/tenants/${acme.id}/users/batch-delete`, {
      ...as(acme), json: { users_ids: [alpha.body.user_id, beta.body.user_id, foreign.body.user_id, 'not-an-id'] },
    });
    expect(r.status).toBe(201);
    expect(r.body).toBeNull();
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/users/${alpha.body.user_id}`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'GET', `/tenants/${other.id}/users/${foreign.body.user_id}`, as(other))).status).toBe(200);
  });

  test('another organization deletes nothing; bad bodies answer 422; no key 401', async () => {
    const existing = await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/existing`, as(acme));
    const id = existing.body.user_id;
    expect((await call(server.url, 'POST', `/tenants/${acme.id}/users/batch-delete`, { ...as(other), json: { users_ids: [id] } })).status).toBe(404);
    expect((await call(server.url, 'POST', `/tenants/${other.id}/users/batch-delete`, { ...as(other), json: { users_ids: [id] } })).status).toBe(201);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/users/${id}`, as(acme))).status).toBe(200);
    for (const json of [{}, { users_ids: [1] }, { users_ids: ['x'.repeat(100)] }]) {
      expect((await call(server.url, 'POST', `/tenants/${acme.id}/users/batch-delete`, { ...as(acme), json })).status).toBe(422);
    }
    expect((await call(server.url, 'POST', `/tenants/${acme.id}/users/batch-delete`, { json: { users_ids: [id] } })).status).toBe(401);
  });
});

describe('tenant login settings are validated', () => {
  const put = (json: Record<string, unknown>) =>
    call(server.url, 'PUT', `/tenants/${acme.id}`, { ...as(acme), json: { display_name: 'Acme', ...json } });

  test.each([
    ['pin_size below range', { pin_size: 3 }],
    ['pin_size above range', { pin_size: 13 }],
    ['patter_size out of range', { patter_size: 10 }],
    ['an unknown login method', { login_order: ['FACE'] }],
    ['a login method twice', { login_order: ['PIN', 'PIN'] }],
    ['block_config out of range', { block_config: { ip_attempts_limit: 0 } }],
    ['liveness steps out of range', { liveness_config: { number_steps_max: 99 } }],
    ['liveness min steps above max', { liveness_config: { number_steps_min: 8, number_steps_max: 5 } }],
    ['a wrong type', { use_pin: 'yes' }],
    ['an oversize display name', { display_name: 'x'.repeat(300) }],
  ])('answers 422 for %s and changes nothing', async (_, json) => {
    const before = await call(server.url, 'GET', `/tenants/${acme.id}`, as(acme));
    const r = await put(json);
    expect(r.status).toBe(422);
    expect(Array.isArray(r.body.detail)).toBe(true);
    expect((await call(server.url, 'GET', `/tenants/${acme.id}`, as(acme))).body).toEqual(before.body);
  });

  test('accepts settings in range', async () => {
    const r = await put({ pin_size: 8, patter_size: 4, login_order: ['PATTERN', 'PIN'], liveness_config: { number_steps_min: 2, number_steps_max: 3 } });
    expect(r.status).toBe(200);
    const t = await call(server.url, 'GET', `/tenants/${acme.id}`, as(acme));
    expect(t.body).toMatchObject({ pin_size: 8, patter_size: 4, login_order: ['PATTERN', 'PIN'], liveness_config: { number_steps_min: 2, number_steps_max: 3 } });
  });
});
