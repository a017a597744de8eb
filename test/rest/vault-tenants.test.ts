import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
const as = (org: TestOrg) => ({ headers: vaultHeaders(org) });

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

test('an organization made otherwise is a tenant whose tenant_id is its id, with the defaults', async () => {
  const r = await call(server.url, 'GET', `/tenants/${acme.id}`, as(acme));
  expect(r.status).toBe(200);
  expect(r.body).toEqual({
    tenant_id: acme.id, register_enable: false, is_2fa: false, use_pin: true, pin_size: 6, use_pattern: true,
    patter_size: 3, use_face_recognition: false, use_liveness: false, display_name: 'Acme', show_pin_when_typing: true,
    block_config: {
      ip_attempts_limit: 5, ip_attempts_reset_minutes: 10080, user_attempts_limit: 15, user_timeframe_seconds: 300,
      initial_block_seconds: 60, max_block_time_minutes: 2880,
    },
    login_order: ['PIN'], passkey_enabled: false, has_username_and_email: true,
    liveness_config: {
      number_steps_min: 4, number_steps_max: 6, duration_in_seconds: 10, number_of_allowed_failures: 1,
      gesture_set: [], number_blinks_max: 0, number_blinks_min: 10000,
    },
  });
});

test('POST /tenants creates a suborganization under the chosen tenant_id: 201 null', async () => {
  const r = await call(server.url, 'POST', '/tenants', {
    ...as(acme), json: { tenant_id: 'acme-eu', display_name: 'Acme EU', pin_size: 8, block_config: { ip_attempts_limit: 3 } },
  });
  expect(r.status).toBe(201);
  expect(r.text).toBe('null');
  const [row] = await server.sql('select parent_id from organization where tenant_id = $1', ['acme-eu']);
  expect(row.parent_id).toBe(acme.id);
  const read = await call(server.url, 'GET', '/tenants/acme-eu', as(acme));
  expect(read.body).toMatchObject({ tenant_id: 'acme-eu', display_name: 'Acme EU', pin_size: 8, block_config: { ip_attempts_limit: 3, user_attempts_limit: 15 } });
});

test('the same key also works as a Bearer token', async () => {
  const r = await call(server.url, 'GET', '/tenants/acme-eu', { headers: { Authorization: `Bearer ${acme.apiKey}` } });
  expect(r.status).toBe(200);
});

test('GET /tenants lists the caller and its suborganizations only', async () => {
  const mine = await call(server.url, 'GET', '/tenants', as(acme));
  expect(mine.status).toBe(200);
  expect(mine.body.tenants.map((t: any) => t.tenant_id)).toEqual([acme.id, 'acme-eu']);
  const theirs = await call(server.url, 'GET', '/tenants', as(other));
  expect(theirs.body.tenants.map((t: any) => t.tenant_id)).toEqual([other.id]);
});

test('a duplicate tenant_id is 409 {detail}', async () => {
  const r = await call(server.url, 'POST', '/tenants', { ...as(other), json: { tenant_id: 'acme-eu' } });
  expect(r.status).toBe(409);
  expect(r.body).toEqual({ detail: expect.stringContaining('acme-eu') });
});

test.each([
  ['missing tenant_id', { display_name: 'x' }, ['body', 'tenant_id'], 'missing'],
  ['a wrong type', { tenant_id: 'ok-1', use_pin: 'yes' }, ['body', 'use_pin'], 'bool_type'],
  ['an oversize tenant_id', { tenant_id: 't'.repeat(200) }, ['body', 'tenant_id'], 'string_too_long'],
  ['an unknown login method', { tenant_id: 'ok-2', login_order: ['FACE'] }, ['body', 'login_order', 0], 'enum'],
  ['a pin size out of range', { tenant_id: 'ok-3', pin_size: 99 }, undefined, undefined],
  ['a tenant_id with a slash', { tenant_id: 'a/b' }, ['body', 'tenant_id'], undefined],
])('POST /tenants answers 422 for %s and creates nothing', async (_, json, loc, type) => {
  const before = await server.sql('select count(*)::int as n from organization');
  const r = await call(server.url, 'POST', '/tenants', { ...as(acme), json });
  expect(r.status).toBe(422);
  expect(Array.isArray(r.body.detail)).toBe(true);
  if (loc) expect(r.body.detail[0].loc).toEqual(loc);
  if (type) expect(r.body.detail[0].type).toBe(type);
  expect(await server.sql('select count(*)::int as n from organization')).toEqual(before);
});

test('malformed JSON is 422 json_invalid', async () => {
  const r = await call(server.url, 'POST', '/tenants', { ...as(acme), raw: '{"tenant_id":' });
  expect(r.status).toBe(422);
  expect(r.body.detail[0]).toMatchObject({ loc: ['body'], type: 'json_invalid' });
});

test('an oversize body is 413 {detail}', async () => {
  const r = await call(server.url, 'POST', '/tenants', { ...as(acme), raw: JSON.stringify({ tenant_id: 'big', display_name: 'x'.repeat(1_100_000) }) });
  expect(r.status).toBe(413);
  expect(typeof r.body.detail).toBe('string');
});

test('PUT /tenants/{id} updates settings (200 null); display_name is required', async () => {
  const ok = await call(server.url, 'PUT', '/tenants/acme-eu', { ...as(acme), json: { display_name: 'Acme Europe', use_pattern: false, liveness_config: null } });
  expect(ok.status).toBe(200);
  expect(ok.text).toBe('null');
  const read = await call(server.url, 'GET', '/tenants/acme-eu', as(acme));
  expect(read.body).toMatchObject({ display_name: 'Acme Europe', use_pattern: false, pin_size: 8 });
  expect(read.body.liveness_config.number_steps_min).toBe(4);
  const missing = await call(server.url, 'PUT', '/tenants/acme-eu', { ...as(acme), json: { use_pin: false } });
  expect(missing.status).toBe(422);
  expect(missing.body.detail[0]).toMatchObject({ loc: ['body', 'display_name'], type: 'missing' });
});

test('another organization gets 404 for read and update, and nothing changes', async () => {
  expect((await call(server.url, 'GET', '/tenants/acme-eu', as(other))).status).toBe(404);
  const put = await call(server.url, 'PUT', '/tenants/acme-eu', { ...as(other), json: { display_name: 'Owned' } });
  expect(put.status).toBe(404);
  expect(put.body).toEqual({ detail: expect.any(String) });
  expect((await call(server.url, 'GET', '/tenants/acme-eu', as(acme))).body.display_name).toBe('Acme Europe');
  expect((await call(server.url, 'GET', `/tenants/${acme.id}`, as(other))).status).toBe(404);
});

test('an unknown tenant is 404', async () => {
  const r = await call(server.url, 'GET', '/tenants/does-not-exist', as(acme));
  expect(r.status).toBe(404);
});

test('missing or wrong credentials are 401 {detail}', async () => {
  for (const headers of [{}, { 'X-API-Key': 'wrong' }, { Authorization: 'Bearer wrong' }, { Authorization: 'Basic abc' }]) {
    const r = await call(server.url, 'GET', '/tenants', { headers });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ detail: expect.any(String) });
  }
  expect((await call(server.url, 'POST', '/tenants', { json: { tenant_id: 'x' } })).status).toBe(401);
  expect((await call(server.url, 'PUT', '/tenants/acme-eu', { json: { display_name: 'x' } })).status).toBe(401);
});
