import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let ada: string;
let bob: string;

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const newPerson = async (org: TestOrg, username: string, extra: Record<string, unknown> = {}) => {
  const r = await call(server.url, 'POST', '/persons', { ...as(org), json: { handles: [{ type: 'username', value: username }], ...extra } });
  expect(r.status).toBe(201);
  return r.body.result.person_id as string;
};
const count = async (table: string) => (await server.sql(`select count(*)::int as n from ${table}`))[0].n;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  ada = await newPerson(acme, 'ada');
  bob = await newPerson(acme, 'bob');
});
afterAll(() => server.close());

describe('groups', () => {
  test('POST /groups creates with 201 and no result, idempotently; GET lists and shows it', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await call(server.url, 'POST', '/groups', { ...as(acme), json: { name: 'Admins.team_1', description: 'the admins' } });
      expect(r.status).toBe(201);
      expect(r.body).toEqual({});
    }
    expect(await count('access_group')).toBe(1);
    const list = await call(server.url, 'GET', '/groups', as(acme));
    expect(list.body).toEqual({ result: ['Admins.team_1'] });
    const one = await call(server.url, 'GET', '/groups/Admins.team_1', as(acme));
    expect(one.status).toBe(200);
    expect(one.body.result).toMatchObject({ name: 'Admins.team_1', description: 'the admins', members_count: 0 });
    expect(new Date(one.body.result.created).getTime()).toBeGreaterThan(0);
  });

  test('a group without a description has none in its answer (not null); an unknown group is 404', async () => {
    expect((await call(server.url, 'POST', '/groups', { ...as(acme), json: { name: 'bare' } })).status).toBe(201);
    const one = await call(server.url, 'GET', '/groups/bare', as(acme));
    expect(Object.keys(one.body.result).sort()).toEqual(['created', 'members_count', 'name']);
    expect((await call(server.url, 'GET', '/groups/bare', as(other))).status).toBe(404);
    expect((await call(server.url, 'DELETE', '/groups/bare', as(acme))).status).toBe(200);
  });

  test.each([
    ['too short', { name: 'a' }],
    ['bad characters', { name: 'a b' }],
    ['non-alphanumeric end', { name: 'ab-' }],
    ['too long', { name: 'a'.repeat(101) }],
    ['wrong type', { name: 5 }],
    ['missing name', {}],
  ])('POST /groups answers 400 for %s and creates nothing', async (_, json) => {
    const before = await count('access_group');
    const r = await call(server.url, 'POST', '/groups', { ...as(acme), json });
    expect(r.status).toBe(400);
    expect(await count('access_group')).toBe(before);
  });

  test('malformed JSON is 400, missing credentials 401', async () => {
    expect((await call(server.url, 'POST', '/groups', { ...as(acme), raw: '{"name":' })).status).toBe(400);
    expect((await call(server.url, 'GET', '/groups')).status).toBe(401);
    expect((await call(server.url, 'GET', '/groups', { headers: { ...slashidHeaders(acme), 'SlashID-API-Key': 'wrong' } })).status).toBe(401);
  });

  test('members: add (idempotent), list, person groups, remove; not-a-member is 404', async () => {
    let r = await call(server.url, 'POST', '/groups/Admins.team_1/persons', { ...as(acme), json: { persons: [ada, bob, ada] } });
    expect(r.status).toBe(201);
    r = await call(server.url, 'POST', '/groups/Admins.team_1/persons', { ...as(acme), json: { persons: [ada] } });
    expect(r.status).toBe(201);
    r = await call(server.url, 'GET', '/groups/Admins.team_1/persons', as(acme));
    expect(r.body.result.sort()).toEqual([ada, bob].sort());
    expect((await call(server.url, 'GET', '/groups/Admins.team_1', as(acme))).body.result.members_count).toBe(2);
    expect((await call(server.url, 'GET', `/persons/${ada}/groups`, as(acme))).body).toEqual({ result: ['Admins.team_1'] });
    r = await call(server.url, 'DELETE', `/groups/Admins.team_1/persons/${bob}`, as(acme));
    expect(r.status).toBe(200);
    r = await call(server.url, 'DELETE', `/groups/Admins.team_1/persons/${bob}`, as(acme));
    expect(r.status).toBe(404);
  });

  test('adding an unknown person is 404 and adds nobody', async () => {
    const before = await count('group_member');
    const r = await call(server.url, 'POST', '/groups/Admins.team_1/persons', {
      ...as(acme), json: { persons: [bob, '0659dd31-7e38-7d1e-8704-e3b8b6966176'] },
    });
    expect(r.status).toBe(404);
    expect(await count('group_member')).toBe(before);
  });

  test('PUT /persons/{id}/groups replaces; unknown group is 400; [] removes all', async () => {
    await call(server.url, 'POST', '/groups', { ...as(acme), json: { name: 'readers' } });
    let r = await call(server.url, 'PUT', `/persons/${bob}/groups`, { ...as(acme), json: { groups: ['readers', 'Admins.team_1'] } });
    expect(r.status).toBe(200);
    expect(r.body.result.sort()).toEqual(['Admins.team_1', 'readers']);
    r = await call(server.url, 'PUT', `/persons/${bob}/groups`, { ...as(acme), json: { groups: ['nope'] } });
    expect(r.status).toBe(400);
    expect((await call(server.url, 'GET', `/persons/${bob}/groups`, as(acme))).body.result).toHaveLength(2);
    r = await call(server.url, 'PUT', `/persons/${bob}/groups`, { ...as(acme), json: { groups: [] } });
    expect(r.body).toEqual({ result: [] });
    r = await call(server.url, 'PUT', `/persons/${bob}/groups`, { ...as(acme), json: { groups: 'readers' } });
    expect(r.status).toBe(400);
  });

  test('POST /persons with groups puts the person in existing groups', async () => {
    const id = await newPerson(acme, 'carl', { groups: ['readers'] });
    expect((await call(server.url, 'GET', `/persons/${id}/groups`, as(acme))).body.result).toEqual(['readers']);
  });

  test('another organization sees none of it and changes nothing', async () => {
    expect((await call(server.url, 'GET', '/groups', as(other))).body).toEqual({ result: [] });
    expect((await call(server.url, 'GET', '/groups/readers', as(other))).status).toBe(404);
    expect((await call(server.url, 'DELETE', '/groups/readers', as(other))).status).toBe(404);
    expect((await call(server.url, 'GET', `/persons/${ada}/groups`, as(other))).status).toBe(404);
    expect((await call(server.url, 'PUT', `/persons/${ada}/groups`, { ...as(other), json: { groups: [] } })).status).toBe(404);
    const before = await count('group_member');
    expect((await call(server.url, 'POST', '/groups/readers/persons', { ...as(other), json: { persons: [ada] } })).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/groups/Admins.team_1/persons/${ada}`, as(other))).status).toBe(404);
    expect(await count('group_member')).toBe(before);
    expect(await count('access_group')).toBe(2);
  });

  test('DELETE /groups/{name} answers 200, then 404', async () => {
    expect((await call(server.url, 'DELETE', '/groups/readers', as(acme))).status).toBe(200);
    expect((await call(server.url, 'DELETE', '/groups/readers', as(acme))).status).toBe(404);
    expect((await call(server.url, 'GET', '/groups/readers/persons', as(acme))).status).toBe(404);
  });
});

describe('members must share a region', () => {
  test('adding persons of different regions in one request is refused with 400, nothing changed', async () => {
    expect((await call(server.url, 'POST', '/groups', { ...as(acme), json: { name: 'regional' } })).status).toBe(201);
    const eu = await newPerson(acme, 'eve-eu', { region: 'europe-belgium' });
    const us = await newPerson(acme, 'sam-us', { region: 'us-iowa' });
    const before = await count('group_member');
    const r = await call(server.url, 'POST', '/groups/regional/persons', { ...as(acme), json: { persons: [eu, us] } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toMatch(/same region.*europe-belgium.*us-iowa|same region.*us-iowa.*europe-belgium/);
    expect(await count('group_member')).toBe(before);
    const ok = await call(server.url, 'POST', '/groups/regional/persons', { ...as(acme), json: { persons: [eu] } });
    expect(ok.status).toBe(201);
  });
});

describe('consistency headers', () => {
  test('are accepted when valid (one database: met at once) and refused with 400 when not', async () => {
    const ok = await call(server.url, 'POST', '/groups', {
      headers: { ...slashidHeaders(acme), 'SlashID-Required-Consistency': 'all_regions', 'SlashID-Required-Consistency-Timeout': '5' },
      json: { name: 'consistent' },
    });
    expect(ok.status).toBe(201);
    const bad = await call(server.url, 'POST', '/groups', {
      headers: { ...slashidHeaders(acme), 'SlashID-Required-Consistency-Timeout': '500' }, json: { name: 'inconsistent' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toContain('header');
    expect((await call(server.url, 'GET', '/groups/inconsistent', as(acme))).status).toBe(404);
  });
});
