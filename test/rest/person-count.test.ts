// The stored person count behind `total_count` (person-count.entity.ts) stays equal to a real
// count through every kind of write: the REST face, SQL statements of many rows, moves between
// person types, deletes, parallel creations, and the organization's deletion.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { seedPersons } from '../helpers/seed.ts';

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

async function expectCountsTrue(org: TestOrg) {
  const [real] = await server.sql(`select count(*) filter (where person_type = 'regular')::int as regular, count(*)::int as total
    from person where organization_id = $1`, [org.id]);
  const [stored] = await server.sql(`select coalesce((select regular from person_count where organization_id = $1), 0)::int as regular,
    coalesce((select total from person_count where organization_id = $1), 0)::int as total`, [org.id]);
  expect(stored).toEqual(real);
  const listed = await call(server.url, 'GET', '/persons?limit=1', as(org));
  expect(listed.status).toBe(200);
  expect(listed.body.meta.pagination.total_count).toBe(real.regular);
  return real;
}

test('creations through the API, in parallel, are all counted', async () => {
  const created = await Promise.all(Array.from({ length: 24 }, (_, i) => call(server.url, 'POST', '/persons', {
    ...as(acme), json: { handles: [{ type: 'username', value: `parallel${i}` }] },
  })));
  expect(created.every((r) => r.status === 201)).toBe(true);
  expect((await expectCountsTrue(acme)).regular).toBe(24);
});

test('a statement of many rows, a move between person types and deletes keep the count', async () => {
  const ids = await seedPersons(server.sql.bind(server), acme.id, 500);
  expect((await expectCountsTrue(acme)).regular).toBe(524);
  await server.sql(`update person set person_type = 'anonymous' where id = any($1::uuid[])`, [ids.slice(0, 10)]);
  expect(await expectCountsTrue(acme)).toEqual({ regular: 514, total: 524 });
  await server.sql(`update person set active = false where id = any($1::uuid[])`, [ids.slice(10, 20)]); // no move: no change
  expect(await expectCountsTrue(acme)).toEqual({ regular: 514, total: 524 });
  const removed = await call(server.url, 'DELETE', `/persons/${ids[100]}`, as(acme));
  expect(removed.status).toBe(204);
  await server.sql('delete from person where id = any($1::uuid[])', [ids.slice(200, 300)]);
  expect(await expectCountsTrue(acme)).toEqual({ regular: 413, total: 423 });
});

test('the other organization is untouched, and a failed creation counts nothing', async () => {
  await expectCountsTrue(other);
  const dup = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'parallel1' }] } });
  expect(dup.status).toBe(409);
  expect((await expectCountsTrue(acme)).regular).toBe(413);
  expect((await expectCountsTrue(other)).regular).toBe(0);
});

test('a deep page past the end still reports the total; deleting the organization takes its count with it', async () => {
  const past = await call(server.url, 'GET', '/persons?limit=10&offset=100000', as(acme));
  expect(past.status).toBe(200);
  expect(past.body.meta.pagination.total_count).toBe(413);
  const org = await server.createOrg('Doomed');
  await server.sql(`insert into person (id, organization_id, region, created_at, updated_at)
    select gen_random_uuid(), $1, 'us-iowa', now(), now() from generate_series(1, 20)`, [org.id]);
  expect((await expectCountsTrue(org)).regular).toBe(20);
  await server.sql('delete from organization where id = $1', [org.id]);
  expect(await server.sql('select * from person_count where organization_id = $1', [org.id])).toEqual([]);
});

test('pages read through the index walk the organization in creation order, without gaps or repeats', async () => {
  const expected = (await server.sql(`select id from person where organization_id = $1 and person_type = 'regular'
    order by created_at, id`, [acme.id])).map((r) => r.id);
  const seen: string[] = [];
  for (let offset = 0; offset < expected.length; offset += 97) {
    const page = await call(server.url, 'GET', `/persons?limit=97&offset=${offset}`, as(acme));
    expect(page.status).toBe(200);
    seen.push(...page.body.result.map((p: { person_id: string }) => p.person_id));
  }
  expect(seen).toEqual(expected);
});
