import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let ada: string;

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const count = async (table: string) => (await server.sql(`select count(*)::int as n from ${table}`))[0].n;
const RW = 'end_user_read_write';
const RO = 'end_user_read_only';

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'ada' }] } });
  ada = r.body.result.person_id;
});
afterAll(() => server.close());

describe('attributes', () => {
  test('GET /organizations/attribute-buckets lists the six default buckets', async () => {
    const r = await call(server.url, 'GET', '/organizations/attribute-buckets', as(acme));
    expect(r.status).toBe(200);
    expect(r.body.result).toHaveLength(6);
    expect(r.body.result).toContainEqual({
      name: 'person_pool-end_user_read_only', sharing_scope: 'person_pool', owner_organization_id: acme.id, end_user_permissions: 'read_only',
    });
  });

  test('multi-bucket PUT replaces the named buckets, PATCH merges, GET narrows by buckets', async () => {
    let r = await call(server.url, 'PUT', `/persons/${ada}/attributes`, {
      ...as(acme), json: { [RW]: { color: 'blue', size: 3, nested: { a: [1, null] } }, [RO]: { tier: 'gold', nothing: null } },
    });
    expect(r.status).toBe(204);
    r = await call(server.url, 'GET', `/persons/${ada}/attributes`, as(acme));
    expect(r.body.result).toEqual({ [RW]: { color: 'blue', size: 3, nested: { a: [1, null] } }, [RO]: { tier: 'gold', nothing: null } });
    r = await call(server.url, 'PATCH', `/persons/${ada}/attributes`, { ...as(acme), json: { [RW]: { size: 4, extra: true } } });
    expect(r.status).toBe(204);
    r = await call(server.url, 'GET', `/persons/${ada}/attributes?buckets=${RW}`, as(acme));
    expect(r.body.result).toEqual({ [RW]: { color: 'blue', size: 4, nested: { a: [1, null] }, extra: true } });
    r = await call(server.url, 'PUT', `/persons/${ada}/attributes`, { ...as(acme), json: { [RW]: { only: 1 } } });
    r = await call(server.url, 'GET', `/persons/${ada}/attributes`, as(acme));
    expect(r.body.result).toEqual({ [RW]: { only: 1 }, [RO]: { tier: 'gold', nothing: null } });
  });

  test('single bucket GET/PUT/PATCH/DELETE', async () => {
    const path = `/persons/${ada}/attributes/${RO}`;
    expect((await call(server.url, 'PATCH', path, { ...as(acme), json: { level: 2 } })).status).toBe(204);
    expect((await call(server.url, 'GET', path, as(acme))).body).toEqual({ result: { tier: 'gold', nothing: null, level: 2 } });
    expect((await call(server.url, 'GET', `${path}?attributes=level,tier`, as(acme))).body).toEqual({ result: { tier: 'gold', level: 2 } });
    expect((await call(server.url, 'PUT', path, { ...as(acme), json: { a: 1, b: 2, c: 3 } })).status).toBe(204);
    expect((await call(server.url, 'DELETE', `${path}?attributes=a,b`, as(acme))).status).toBe(204);
    expect((await call(server.url, 'GET', path, as(acme))).body).toEqual({ result: { c: 3 } });
    expect((await call(server.url, 'DELETE', path, as(acme))).status).toBe(204);
    expect((await call(server.url, 'GET', path, as(acme))).body).toEqual({ result: {} });
  });

  test('unknown bucket is 404; names over 70 bytes and values over 64 KiB are 400; nothing written', async () => {
    const before = await count('person_attribute');
    expect((await call(server.url, 'GET', `/persons/${ada}/attributes/nope`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'PUT', `/persons/${ada}/attributes/nope`, { ...as(acme), json: { a: 1 } })).status).toBe(404);
    expect((await call(server.url, 'GET', `/persons/${ada}/attributes?buckets=nope`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'PUT', `/persons/${ada}/attributes`, { ...as(acme), json: { nope: { a: 1 } } })).status).toBe(404);
    expect((await call(server.url, 'PATCH', `/persons/${ada}/attributes/${RW}`, { ...as(acme), json: { ['é'.repeat(36)]: 1 } })).status).toBe(400);
    expect((await call(server.url, 'PATCH', `/persons/${ada}/attributes/${RW}`, { ...as(acme), json: { big: 'x'.repeat(65536) } })).status).toBe(400);
    expect((await call(server.url, 'PUT', `/persons/${ada}/attributes`, { ...as(acme), json: { [RW]: 'scalar' } })).status).toBe(400);
    expect((await call(server.url, 'PUT', `/persons/${ada}/attributes`, { ...as(acme), json: [1] })).status).toBe(400);
    expect((await call(server.url, 'PUT', `/persons/${ada}/attributes`, { ...as(acme), raw: '{"a":' })).status).toBe(400);
    expect(await count('person_attribute')).toBe(before);
  });

  test('another organization gets 404 and changes nothing; no credentials 401', async () => {
    const before = await server.sql('select * from person_attribute order by name');
    expect((await call(server.url, 'GET', `/persons/${ada}/attributes`, as(other))).status).toBe(404);
    expect((await call(server.url, 'PUT', `/persons/${ada}/attributes`, { ...as(other), json: { [RW]: {} } })).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/persons/${ada}/attributes/${RW}`, as(other))).status).toBe(404);
    expect((await call(server.url, 'PATCH', `/persons/${ada}/attributes/${RW}`, { ...as(other), json: { x: 1 } })).status).toBe(404);
    expect(await server.sql('select * from person_attribute order by name')).toEqual(before);
    expect((await call(server.url, 'GET', `/persons/${ada}/attributes`)).status).toBe(401);
    expect((await call(server.url, 'GET', '/organizations/attribute-buckets')).status).toBe(401);
  });
});

describe('GDPR consent', () => {
  const path = () => `/persons/${ada}/consent/gdpr`;

  test('POST stores (201), PUT overwrites (200), GET lists with receipt times, DELETE removes', async () => {
    let r = await call(server.url, 'POST', path(), { ...as(acme), json: { consent_levels: ['necessary', 'analytics'] } });
    expect(r.status).toBe(201);
    expect(r.body.result.consents.map((c: any) => c.consent_level).sort()).toEqual(['analytics', 'necessary']);
    expect(new Date(r.body.result.consents[0].created_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    r = await call(server.url, 'PUT', path(), { ...as(acme), json: { consent_levels: ['marketing', 'necessary'] } });
    expect(r.status).toBe(200);
    expect(r.body.result.consents.map((c: any) => c.consent_level).sort()).toEqual(['marketing', 'necessary']);
    expect((await call(server.url, 'DELETE', `${path()}?consent_levels=marketing`, as(acme))).status).toBe(204);
    r = await call(server.url, 'GET', path(), as(acme));
    expect(r.body.result.consents.map((c: any) => c.consent_level)).toEqual(['necessary']);
    expect((await call(server.url, 'DELETE', `${path()}?deleteAll=true`, as(acme))).status).toBe(204);
    expect((await call(server.url, 'GET', path(), as(acme))).body).toEqual({ result: { consents: [] } });
  });

  test('unknown levels, wrong types, nothing to delete: 400; other org 404; no credentials 401', async () => {
    expect((await call(server.url, 'POST', path(), { ...as(acme), json: { consent_levels: ['sales'] } })).status).toBe(400);
    expect((await call(server.url, 'POST', path(), { ...as(acme), json: { consent_levels: 'necessary' } })).status).toBe(400);
    expect((await call(server.url, 'POST', path(), { ...as(acme), json: {} })).status).toBe(400);
    expect((await call(server.url, 'DELETE', path(), as(acme))).status).toBe(400);
    expect((await call(server.url, 'DELETE', `${path()}?consent_levels=sales`, as(acme))).status).toBe(400);
    expect((await call(server.url, 'POST', path(), { ...as(other), json: { consent_levels: ['none'] } })).status).toBe(404);
    expect((await call(server.url, 'GET', path(), as(other))).status).toBe(404);
    expect(await count('gdpr_consent')).toBe(0);
    expect((await call(server.url, 'GET', path())).status).toBe(401);
    expect((await call(server.url, 'GET', '/persons/0659dd31-7e38-7d1e-8704-e3b8b6966176/consent/gdpr', as(acme))).status).toBe(404);
  });
});

test('parallel writes adding the same new attribute all succeed and leave one row with one of their values', async () => {
  const path = `/persons/${ada}/attributes/${RW}`;
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
    call(server.url, 'PATCH', path, { ...as(acme), json: { racing: i } })));
  expect(results.map((r) => r.status)).toEqual(Array(8).fill(204));
  const rows = await server.sql(`select value from person_attribute where person_id = $1 and bucket = $2 and name = 'racing'`, [ada, RW]);
  expect(rows).toHaveLength(1);
  expect([0, 1, 2, 3, 4, 5, 6, 7]).toContain(rows[0].value);
});
