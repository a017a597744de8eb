import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
const as = (org: TestOrg) => ({ headers: vaultHeaders(org) });
const T = 'acme-app';

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await call(server.url, 'POST', '/tenants', { ...as(acme), json: { tenant_id: T } });
});
afterAll(() => server.close());

const createUser = (json: unknown, org = acme, tenant = T) =>
  call(server.url, 'POST', `/tenants/${tenant}/users`, { ...as(org), json });

describe('create and read', () => {
  let userId: string;
  test('POST creates a user: 201 with the User shape', async () => {
    const r = await createUser({ username: 'ada', email: 'ada@example.com', locale: 'en-GB', external_id: 'x-1', tenant_id: T });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      user_id: expect.any(String), username: 'ada', email: 'ada@example.com', tenant_id: T, is_disabled: false,
      is_verified: false, created_at: expect.stringMatching(/Z$/), updated_at: expect.stringMatching(/Z$/),
      locale: 'en-GB', roles: [], external_id: 'x-1',
    });
    userId = r.body.user_id;
  });

  test('GET by id and by username return the same user', async () => {
    const byId = await call(server.url, 'GET', `/tenants/${T}/users/${userId}`, as(acme));
    const byName = await call(server.url, 'GET', `/tenants/${T}/users/by-username/ADA`, as(acme));
    expect(byId.status).toBe(200);
    expect(byName.body).toEqual(byId.body);
  });

  test('duplicates of username or email are 409', async () => {
    expect((await createUser({ username: 'ada', email: 'other@example.com' })).status).toBe(409);
    expect((await createUser({ username: 'ada2', email: 'ADA@example.com' })).status).toBe(409);
  });

  test('PUT replaces the user: 200 with the new state', async () => {
    const current = (await call(server.url, 'GET', `/tenants/${T}/users/${userId}`, as(acme))).body;
    const r = await call(server.url, 'PUT', `/tenants/${T}/users/${userId}`, {
      ...as(acme), json: { ...current, username: 'ada.l', email: 'ada@lovelace.org', is_disabled: true, is_verified: true },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user_id: userId, username: 'ada.l', email: 'ada@lovelace.org', is_disabled: true, is_verified: true });
    expect((await call(server.url, 'GET', `/tenants/${T}/users/by-username/ada`, as(acme))).status).toBe(404);
  });

  test('PUT refuses a body whose ids differ from the path with 422', async () => {
    const current = (await call(server.url, 'GET', `/tenants/${T}/users/${userId}`, as(acme))).body;
    const wrongTenant = await call(server.url, 'PUT', `/tenants/${T}/users/${userId}`, { ...as(acme), json: { ...current, tenant_id: 'x' } });
    expect(wrongTenant.status).toBe(422);
    expect(wrongTenant.body.detail[0].loc).toEqual(['body', 'tenant_id']);
    const missing = await call(server.url, 'PUT', `/tenants/${T}/users/${userId}`, { ...as(acme), json: { username: 'x', email: 'x@x.io' } });
    expect(missing.status).toBe(422);
  });

  test('another organization gets 404 on every user route and changes nothing', async () => {
    expect((await call(server.url, 'GET', `/tenants/${T}/users`, as(other))).status).toBe(404);
    expect((await call(server.url, 'GET', `/tenants/${T}/users/${userId}`, as(other))).status).toBe(404);
    expect((await call(server.url, 'GET', `/tenants/${T}/users/by-username/ada.l`, as(other))).status).toBe(404);
    expect((await createUser({ username: 'mallory', email: 'm@evil.io' }, other)).status).toBe(404);
    const put = await call(server.url, 'PUT', `/tenants/${T}/users/${userId}`, {
      ...as(other), json: { user_id: userId, tenant_id: T, username: 'owned', email: 'o@evil.io' },
    });
    expect(put.status).toBe(404);
    expect(await server.sql(`select count(*)::int as n from handle where value in ('owned', 'mallory')`)).toEqual([{ n: 0 }]);
  });

  test('a user id of another tenant of the same caller is 404 in this tenant', async () => {
    const r = await call(server.url, 'GET', `/tenants/${acme.id}/users/${userId}`, as(acme));
    expect(r.status).toBe(404);
  });
});

describe('the same record through both faces', () => {
  test('a person created over SlashID with an email handle is a user, and the reverse', async () => {
    const person = await call(server.url, 'POST', '/persons', {
      headers: slashidHeaders(acme),
      json: { handles: [{ type: 'email_address', value: 'grace@example.com' }, { type: 'username', value: 'grace' }] },
    });
    const asUser = await call(server.url, 'GET', `/tenants/${acme.id}/users/${person.body.result.person_id}`, as(acme));
    expect(asUser.body).toMatchObject({ user_id: person.body.result.person_id, email: 'grace@example.com', username: 'grace', tenant_id: acme.id });

    const user = await createUser({ username: 'linus', email: 'linus@example.com' }, acme, acme.id);
    const asPerson = await call(server.url, 'GET', `/persons/${user.body.user_id}`, { headers: slashidHeaders(acme) });
    expect(asPerson.body.result.handles).toEqual([
      { type: 'username', value: 'linus' }, { type: 'email_address', value: 'linus@example.com' },
    ]);
  });
});

describe('GET /tenants/{tenant_id}/users', () => {
  const t = 'list-tenant';
  beforeAll(async () => {
    await call(server.url, 'POST', '/tenants', { ...as(acme), json: { tenant_id: t } });
    for (const name of ['carol', 'alice', 'bob', 'dave']) {
      await createUser({ username: name, email: `${name}@${name === 'dave' ? 'corp' : 'example'}.com` }, acme, t);
    }
  });

  test('defaults: newest first, limit 10, {data, has_next, total_count}', async () => {
    const r = await call(server.url, 'GET', `/tenants/${t}/users`, as(acme));
    expect(r.status).toBe(200);
    expect(r.body.data.map((u: any) => u.username)).toEqual(['dave', 'bob', 'alice', 'carol']);
    expect(r.body).toMatchObject({ has_next: false, total_count: 4 });
  });

  test('sorts, pages and filters', async () => {
    const page = await call(server.url, 'GET', `/tenants/${t}/users?sort_by=username&sort_direction=1&limit=2&offset=1`, as(acme));
    expect(page.body.data.map((u: any) => u.username)).toEqual(['bob', 'carol']);
    expect(page.body).toMatchObject({ has_next: true, total_count: 4 });
    const filtered = await call(server.url, 'GET', `/tenants/${t}/users?email=EXAMPLE`, as(acme));
    expect(filtered.body.total_count).toBe(3);
    const byName = await call(server.url, 'GET', `/tenants/${t}/users?username=a`, as(acme));
    expect(byName.body.data.map((u: any) => u.username).sort()).toEqual(['alice', 'carol', 'dave']);
    const literal = await call(server.url, 'GET', `/tenants/${t}/users?username=%25`, as(acme));
    expect(literal.body.total_count).toBe(0);
  });

  test.each([
    ['limit 0', 'limit=0'], ['limit 501', 'limit=501'], ['negative offset', 'offset=-1'],
    ['sort_direction 2', 'sort_direction=2'], ['unknown sort_by', 'sort_by=password'], ['oversize username', `username=${'u'.repeat(129)}`],
  ])('answers 422 for %s', async (_, qs) => {
    const r = await call(server.url, 'GET', `/tenants/${t}/users?${qs}`, as(acme));
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc[0]).toBe('query');
  });
});

describe('bad input on create', () => {
  test.each([
    ['a missing email', { username: 'x' }, 'missing'],
    ['an invalid email', { username: 'x', email: 'not-mail' }, 'value_error'],
    ['a username with spaces', { username: 'a b', email: 'a@b.io' }, 'string_pattern_mismatch'],
    ['an oversize username', { username: 'u'.repeat(129), email: 'a@b.io' }, 'string_too_long'],
    ['a wrong type', { username: 'x', email: 'a@b.io', is_disabled: 'no' }, 'bool_type'],
    ['an unknown role', { username: 'x', email: 'a@b.io', roles: ['admin'] }, undefined],
    ['a tenant_id that is not the path', { username: 'x', email: 'a@b.io', tenant_id: 'elsewhere' }, 'value_error'],
    ['a malformed user_id', { username: 'x', email: 'a@b.io', user_id: 'abc' }, undefined],
  ])('%s is 422 and creates nothing', async (_, json, type) => {
    const before = await server.sql('select count(*)::int as n from person');
    const r = await createUser(json);
    expect(r.status).toBe(422);
    if (type) expect(r.body.detail[0].type).toBe(type);
    expect(await server.sql('select count(*)::int as n from person')).toEqual(before);
  });

  test('malformed JSON is 422; no credentials is 401; unknown tenant or user is 404', async () => {
    expect((await call(server.url, 'POST', `/tenants/${T}/users`, { ...as(acme), raw: '{' })).status).toBe(422);
    expect((await call(server.url, 'POST', `/tenants/${T}/users`, { json: { username: 'x', email: 'a@b.io' } })).status).toBe(401);
    expect((await call(server.url, 'GET', `/tenants/${T}/users`)).status).toBe(401);
    expect((await call(server.url, 'GET', `/tenants/${T}/users/x`)).status).toBe(401);
    expect((await createUser({ username: 'x', email: 'a@b.io' }, acme, 'nope')).status).toBe(404);
    expect((await call(server.url, 'GET', `/tenants/${T}/users/06b03a00-0000-7000-8000-000000000000`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'GET', `/tenants/${T}/users/by-username/nobody`, as(acme))).status).toBe(404);
  });
});
