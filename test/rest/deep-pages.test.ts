// Deep pages read from a remembered boundary (src/domain/person/page-boundaries.ts) must be the
// same pages an offset gives, also after persons were added, removed or moved before the boundary
// (the organization's `changes` counter makes the boundary stale), in both directions and faces.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { seedPersons } from '../helpers/seed.ts';
import { boundaryAt, boundaryAtOrBelow, listKey } from '../../src/domain/person/page-boundaries.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await seedPersons(server.sql.bind(server), acme.id, 250);
  await seedPersons(server.sql.bind(server), other.id, 30);
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });

/** The ids in list order, straight from the table. */
const truth = async (org: TestOrg, direction: 'asc' | 'desc' = 'asc') => (await server.sql(
  `select id from person where organization_id = $1 and person_type = 'regular' order by created_at ${direction}, id ${direction}`,
  [org.id])).map((r: { id: string }) => r.id);

const page = async (org: TestOrg, offset: number, limit = 40) => {
  const r = await call(server.url, 'GET', `/persons?limit=${limit}&offset=${offset}`, as(org));
  expect(r.status).toBe(200);
  return { ids: r.body.result.map((p: { person_id: string }) => p.person_id) as string[], total: r.body.meta.pagination.total_count };
};

test('paging through by offset leaves boundaries, and the pages read from them are the offset pages', async () => {
  const all = await truth(acme);
  for (let pass = 0; pass < 2; pass++) { // the second pass starts every page but the first from a boundary
    for (let offset = 0; offset < 260; offset += 40) {
      const got = await page(acme, offset);
      expect(got.ids).toEqual(all.slice(offset, offset + 40));
      expect(got.total).toBe(250);
    }
  }
  expect(boundaryAt(listKey(acme.id, 'asc', false), 120)).toBeDefined();
});

test('a page at an offset nobody asked starts from the nearest boundary before it, in both directions', async () => {
  for (const direction of ['asc', 'desc'] as const) {
    const all = await truth(acme, direction);
    const at = async (offset: number, limit: number) => {
      const order = direction === 'desc' ? '&sort_direction=-1' : '&sort_direction=1';
      const r = await call(server.url, 'GET', `/tenants/${acme.id}/users?limit=${limit}&offset=${offset}${order}`, { headers: vaultHeaders(acme) });
      expect(r.status).toBe(200);
      return r.body.data.map((u: { user_id: string }) => u.user_id);
    };
    await at(160, 10); // leaves boundaries at 160 and 170
    for (const [offset, limit] of [[163, 5], [171, 30], [199, 1], [240, 20], [165, 3]]) {
      expect(await at(offset, limit)).toEqual(all.slice(offset, offset + limit));
    }
    expect(boundaryAtOrBelow(listKey(acme.id, direction, false), 239)?.offset).toBe(201); // left by [171, 30]
  }
});

test('a walk to a deep offset leaves markers on the way: pages before it start near one', async () => {
  const big = await server.createOrg('Big');
  await seedPersons(server.sql.bind(server), big.id, 45_000);
  for (const direction of ['asc', 'desc'] as const) {
    const offsetPage = async (offset: number, limit: number) => (await server.sql(
      `select id from person where organization_id = $1 and person_type = 'regular'
       order by created_at ${direction}, id ${direction} limit $2 offset $3`, [big.id, limit, offset])).map((r: { id: string }) => r.id);
    const at = async (offset: number, limit: number) => {
      const r = await call(server.url, 'GET', `/tenants/${big.id}/users?limit=${limit}&offset=${offset}&sort_direction=${direction === 'asc' ? 1 : -1}`,
        { headers: vaultHeaders(big) });
      expect(r.status).toBe(200);
      return r.body.data.map((u: { user_id: string }) => u.user_id);
    };
    expect(await at(40_000, 10)).toEqual(await offsetPage(40_000, 10));
    const list = listKey(big.id, direction, false);
    for (const offset of [39_990, 30_001, 12_345, 5_000, 4_999]) {
      const marker = boundaryAtOrBelow(list, offset);
      if (offset >= 5_000) expect(offset - marker!.offset).toBeLessThan(5_000);
      expect(await at(offset, 7)).toEqual(await offsetPage(offset, 7));
    }
  }
  // A change makes the markers stale: the next deep page is still the offset's page.
  const [first] = await server.sql(`select id from person where organization_id = $1 order by created_at limit 1`, [big.id]);
  await server.sql('delete from person where id = $1', [first.id]);
  const r = await call(server.url, 'GET', `/tenants/${big.id}/users?limit=3&offset=20000&sort_direction=1`, { headers: vaultHeaders(big) });
  expect(r.body.data.map((u: { user_id: string }) => u.user_id)).toEqual((await server.sql(
    `select id from person where organization_id = $1 and person_type = 'regular' order by created_at, id limit 3 offset 20000`, [big.id]))
    .map((x: { id: string }) => x.id));
});

test('a stale boundary before the offset is noticed too, and the page read by offset', async () => {
  const third = await server.createOrg('Third');
  await seedPersons(server.sql.bind(server), third.id, 90);
  await page(third, 40);
  const before = await truth(third);
  await server.sql(`delete from person where id = $1`, [before[5]]);
  expect((await page(third, 57, 9)).ids).toEqual((await truth(third)).slice(57, 66));
  expect((await page(third, 44, 9)).ids).toEqual((await truth(third)).slice(44, 53));
  expect((await page(third, 50, 9)).ids).toEqual((await truth(third)).slice(50, 59));
});

test('a boundary goes stale when persons are added, removed or moved, and the page is read by offset', async () => {
  await page(acme, 80);
  const before = await truth(acme);
  await server.sql(`delete from person where id = any($1::uuid[])`, [before.slice(10, 13)]);
  expect((await page(acme, 80)).ids).toEqual((await truth(acme)).slice(80, 120));
  await server.sql(`update person set person_type = 'anonymous' where id = $1`, [before[20]]);
  expect((await page(acme, 80)).ids).toEqual((await truth(acme)).slice(80, 120));
  await server.sql(`update person set active = false where id = $1`, [before[30]]); // no move: the boundary holds
  expect((await page(acme, 80)).ids).toEqual((await truth(acme)).slice(80, 120));
  const [{ changes }] = await server.sql('select changes::int as changes from person_count where organization_id = $1', [acme.id]);
  const created = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'late-comer' }] } });
  expect(created.status).toBe(201);
  const [{ changes: after }] = await server.sql('select changes::int as changes from person_count where organization_id = $1', [acme.id]);
  expect(after).toBe(changes + 1);
  const now = await page(acme, 200);
  expect(now.ids).toEqual((await truth(acme)).slice(200, 240));
  expect(now.total).toBe(247);
});

test('a statement swapping two persons between types moves them and counts a change', async () => {
  const ids = await truth(acme);
  await server.sql(`update person set person_type = 'anonymous' where id = $1`, [ids[5]]);
  await page(acme, 40);
  const [{ changes }] = await server.sql('select changes::int as changes from person_count where organization_id = $1', [acme.id]);
  await server.sql(`update person set person_type = case when id = $1 then 'regular' else 'anonymous' end where id in ($1, $2)`, [ids[5], ids[6]]);
  const [{ changes: after }] = await server.sql('select changes::int as changes from person_count where organization_id = $1', [acme.id]);
  expect(after).toBe(changes + 1);
  expect((await page(acme, 40)).ids).toEqual((await truth(acme)).slice(40, 80));
});

test('the GraphQL connection followed by its cursors gives every person once', async () => {
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: any = await call(server.url, 'POST', '/graphql', {
      ...as(acme), json: { query: 'query($after: String) { persons(first: 60, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }', variables: { after } },
    });
    expect(r.body.errors).toBeUndefined();
    seen.push(...r.body.data.persons.nodes.map((n: { id: string }) => n.id));
    if (!r.body.data.persons.pageInfo.hasNextPage) break;
    after = r.body.data.persons.pageInfo.endCursor;
  }
  expect(seen).toEqual(await truth(acme));
});

test('the Secrets Vault users list (newest first) pages the same through boundaries, per tenant only', async () => {
  const tenant = 'deep-pages';
  expect((await call(server.url, 'POST', '/tenants', { headers: vaultHeaders(acme), json: { tenant_id: tenant } })).status).toBe(201);
  for (let i = 0; i < 7; i++) {
    const r = await call(server.url, 'POST', `/tenants/${tenant}/users`, { headers: vaultHeaders(acme), json: { username: `u${i}`, email: `u${i}@example.com` } });
    expect(r.status).toBe(201);
  }
  const list = async (offset: number) => {
    const r = await call(server.url, 'GET', `/tenants/${tenant}/users?limit=3&offset=${offset}`, { headers: vaultHeaders(acme) });
    expect(r.status).toBe(200);
    return r.body;
  };
  const first = [await list(0), await list(3), await list(6)];
  const again = [await list(0), await list(3), await list(6)];
  expect(again).toEqual(first);
  expect(first.flatMap((b) => b.data.map((u: { username: string }) => u.username))).toEqual(['u6', 'u5', 'u4', 'u3', 'u2', 'u1', 'u0']);
  expect(first.map((b) => b.has_next)).toEqual([true, true, false]);
  expect((await call(server.url, 'GET', `/tenants/${tenant}/users?limit=3&offset=3`, { headers: vaultHeaders(other) })).status).toBe(404);
});

test('another organization never gets a page of the first, and bad offsets are a 400', async () => {
  const theirs = await truth(other);
  expect((await page(other, 0, 40)).ids).toEqual(theirs);
  expect((await page(other, 40)).ids).toEqual([]);
  expect((await call(server.url, 'GET', '/persons?limit=10&offset=-1', as(acme))).status).toBe(400);
  expect((await call(server.url, 'GET', '/persons?limit=10&offset=40', { headers: { ...slashidHeaders(acme), 'SlashID-API-Key': 'wrong' } })).status).toBe(401);
});
