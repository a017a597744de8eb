// Organization attributes on the persons' bucket engine: replace and merge, one bucket or many,
// narrowing reads, deletes; unknown buckets, bad names and values, foreign organizations and
// refused callers change nothing; parallel writes of one name never fail with a 500.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const req = (org: TestOrg, method: string, path: string, json?: unknown) =>
  call(server.url, method, path, { ...as(org), ...(json !== undefined ? { json } : {}) });
const all = async (org: TestOrg, query = '') => (await req(org, 'GET', `/organizations/attributes${query}`)).body.result;

test('replace and merge, many buckets or one, narrowing reads, deletes', async () => {
  expect(await all(acme)).toEqual({});
  expect((await req(acme, 'PUT', '/organizations/attributes', { end_user_read_only: { plan: 'gold', seats: 5 }, end_user_no_access: { secret: { a: [1, 2] } } })).status).toBe(204);
  expect(await all(acme)).toEqual({ end_user_read_only: { plan: 'gold', seats: 5 }, end_user_no_access: { secret: { a: [1, 2] } } });
  expect(await all(acme, '?buckets=end_user_no_access')).toEqual({ end_user_no_access: { secret: { a: [1, 2] } } });

  // PATCH merges; PUT replaces the buckets it names and leaves the others.
  expect((await req(acme, 'PATCH', '/organizations/attributes', { end_user_read_only: { seats: 6, region: 'eu' } })).status).toBe(204);
  expect((await all(acme)).end_user_read_only).toEqual({ plan: 'gold', seats: 6, region: 'eu' });
  expect((await req(acme, 'PUT', '/organizations/attributes', { end_user_read_only: { plan: 'silver' } })).status).toBe(204);
  expect(await all(acme)).toEqual({ end_user_read_only: { plan: 'silver' }, end_user_no_access: { secret: { a: [1, 2] } } });

  const bucket = '/organizations/attributes/end_user_read_write';
  expect((await req(acme, 'PUT', bucket, { a: 1, b: null, c: 'x' })).status).toBe(204);
  expect((await req(acme, 'PATCH', bucket, { d: true })).status).toBe(204);
  expect((await req(acme, 'GET', bucket)).body.result).toEqual({ a: 1, b: null, c: 'x', d: true });
  expect((await req(acme, 'GET', `${bucket}?attributes=a,d`)).body.result).toEqual({ a: 1, d: true });
  expect((await req(acme, 'PUT', bucket, { z: 0 })).status).toBe(204);
  expect((await req(acme, 'GET', bucket)).body.result).toEqual({ z: 0 });
  expect((await req(acme, 'PATCH', bucket, { y: 1 })).status).toBe(204);
  expect((await req(acme, 'DELETE', `${bucket}?attributes=z`)).status).toBe(204);
  expect((await req(acme, 'GET', bucket)).body.result).toEqual({ y: 1 });
  expect((await req(acme, 'DELETE', bucket)).status).toBe(204);
  expect((await req(acme, 'GET', bucket)).body.result).toEqual({});

  // Organizations and persons keep their own.
  expect(await all(other)).toEqual({});
  const person = (await req(acme, 'POST', '/persons', { handles: [{ type: 'username', value: 'attr-person' }] })).body.result.person_id;
  expect((await req(acme, 'GET', `/persons/${person}/attributes`)).body.result).toEqual({});
});

test('unknown buckets 404; bad names, values and bodies 400; nothing changes', async () => {
  const org = await server.createOrg('Strict');
  await req(org, 'PUT', '/organizations/attributes', { end_user_read_only: { keep: 1 } });
  const snapshot = await server.sql('select bucket, name, value from organization_attribute where organization_id = $1 order by bucket, name', [org.id]);
  const cases: [string, string, string, unknown, number][] = [
    ['unknown bucket (many)', 'PUT', '/organizations/attributes', { nope: { a: 1 } }, 404],
    ['unknown bucket (one)', 'PUT', '/organizations/attributes/nope', { a: 1 }, 404],
    ['unknown bucket read', 'GET', '/organizations/attributes/nope', undefined, 404],
    ['unknown bucket in buckets', 'GET', '/organizations/attributes?buckets=nope', undefined, 404],
    ['unknown bucket delete', 'DELETE', '/organizations/attributes/nope', undefined, 404],
    ['bucket not an object', 'PUT', '/organizations/attributes', { end_user_read_only: 5 }, 400],
    ['body an array', 'PATCH', '/organizations/attributes/end_user_read_only', [1], 400],
    ['name too long', 'PATCH', '/organizations/attributes/end_user_read_only', { ['n'.repeat(71)]: 1 }, 400],
    ['empty name', 'PATCH', '/organizations/attributes/end_user_read_only', { '': 1 }, 400],
    ['value too big', 'PATCH', '/organizations/attributes/end_user_read_only', { big: 'x'.repeat(65 * 1024) }, 400],
  ];
  for (const [what, method, path, json, status] of cases) {
    const r = await req(org, method, path, json);
    expect([what, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([what, status, status]);
  }
  expect((await call(server.url, 'PUT', '/organizations/attributes', { ...as(org), raw: '{"end_user_read_only": {' })).status).toBe(400);
  expect(await server.sql('select bucket, name, value from organization_attribute where organization_id = $1 order by bucket, name', [org.id])).toEqual(snapshot);
});

test('refused callers: none, wrong, a person\'s key; over /graphql a person\'s key is FORBIDDEN', async () => {
  const before = await server.sql('select count(*) from organization_attribute');
  expect((await call(server.url, 'PUT', '/organizations/attributes', { json: { end_user_read_only: { a: 1 } } })).status).toBe(401);
  expect((await call(server.url, 'GET', '/organizations/attributes', { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'x' } })).status).toBe(401);
  const pat = (await req(acme, 'POST', '/persons', { handles: [{ type: 'username', value: 'pat-attr' }] })).body.result.person_id;
  const userKey = (await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, name: 'all', scopes: ['tenants:read', 'tenants:write'], user_id: pat },
  })).body.api_key as string;
  expect((await call(server.url, 'GET', '/organizations/attributes', { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': userKey } })).status).toBe(401);
  const q = await call(server.url, 'POST', '/graphql', { headers: { 'X-API-Key': userKey }, json: { query: '{ organization { attributes } }' } });
  expect(q.body.errors[0].extensions.code).toBe('FORBIDDEN');
  const m = await call(server.url, 'POST', '/graphql', {
    headers: { 'X-API-Key': userKey }, json: { query: 'mutation { writeOrganizationAttributes(attributes: {}, merge: true) { id } }' },
  });
  expect(m.body.errors[0].extensions.code).toBe('FORBIDDEN');
  expect(await server.sql('select count(*) from organization_attribute')).toEqual(before);
});

test('parallel merges adding the same and different names all succeed, and the last write of each name stands', async () => {
  const org = await server.createOrg('Busy');
  const replies = await Promise.all(Array.from({ length: 8 }, (_, i) =>
    req(org, 'PATCH', '/organizations/attributes/end_user_read_only', { shared: i, [`own${i}`]: i })));
  expect(replies.map((r) => r.status)).toEqual(Array(8).fill(204));
  const result = (await req(org, 'GET', '/organizations/attributes/end_user_read_only')).body.result;
  expect(Object.keys(result).sort()).toEqual(['own0', 'own1', 'own2', 'own3', 'own4', 'own5', 'own6', 'own7', 'shared']);
  expect(result.shared).toEqual(expect.any(Number));
});

test('a suborganization has attributes of its own', async () => {
  const sub = await call(server.url, 'POST', '/organizations/suborganizations', {
    ...as(acme), json: { sub_org_name: 'Attr child', admins: [{ type: 'email_address', value: 'attr-admin@example.com' }] },
  });
  const child = { id: sub.body.result.id, apiKey: sub.body.result.api_key, name: 'Attr child' };
  expect(await all(child)).toEqual({});
  await req(child, 'PUT', '/organizations/attributes/end_user_no_access', { mine: true });
  expect((await all(acme)).end_user_no_access).toEqual({ secret: { a: [1, 2] } });
});
