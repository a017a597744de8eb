// Tier limits (TIER_MAX_PERSONS, TIER_MAX_GROUPS, TIER_MAX_SUBORGANIZATIONS): the tier lists them,
// creating past one answers 402 in the SlashID envelope saying which limit and how to raise it, the
// count is the whole hierarchy's, and parallel creations at the limit — through two server
// processes on one database — never overshoot it.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { scimClient, USER } from '../scim/helpers.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { jest } from '@jest/globals';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

let server: TestServer;
let second: ServerProcess;
const LIMITS = { maxPersons: 6, maxGroups: 3, maxSuborganizations: 2 };
beforeAll(async () => {
  server = await startTestServer({ tierLimits: LIMITS });
  // A second process on the same database, its limits read from the environment as in production.
  second = await startServerProcess(server.databaseUrl, server.config.masterKey!,
    { TIER_MAX_PERSONS: '6', TIER_MAX_GROUPS: '3', TIER_MAX_SUBORGANIZATIONS: '2' });
}, 30_000);
afterAll(async () => {
  await second?.stop();
  await server.close();
});

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const person = (org: TestOrg, username: string, url = server.url) =>
  call(url, 'POST', '/persons', { ...as(org), json: { handles: [{ type: 'username', value: username }] } });
const count = async (sql: string, params: unknown[]) => Number((await server.sql<{ n: string }>(sql, params))[0].n);

function expect402(r: { status: number; body: any }, what: string, variable: string) {
  expect(r.status).toBe(402);
  expect(r.body.errors).toEqual([{ httpcode: 402, message: expect.stringContaining(`at most`) }]);
  expect(r.body.errors[0].message).toContain(what);
  expect(r.body.errors[0].message).toContain(variable);
}

test('the tier lists its limits (configured, or from TIER_MAX_* in the second process)', async () => {
  const org = await server.createOrg('Listed');
  for (const url of [server.url, second.url]) {
    expect((await call(url, 'GET', '/organizations/quota/current-tier', as(org))).body.result).toEqual({
      name: 'enterprise-with-nhi', custom_templates_allowed: true, nhi_external_connections_allowed: true,
      max_persons: 6, max_groups: 3, max_suborganizations: 2,
    });
  }
});

test('persons: parallel creations at the limit stop exactly there, across the hierarchy, then 402 from every path', async () => {
  const top = await server.createOrg('Persons top');
  const sub = await call(server.url, 'POST', '/organizations/suborganizations', {
    ...as(top), json: { sub_org_name: 'Persons sub', admins: [{ type: 'username', value: 'persons-sub-admin' }] },
  });
  const child: TestOrg = { id: sub.body.result.id, apiKey: sub.body.result.api_key, name: 'Persons sub' };
  // One person (the child's admin) is already in the hierarchy: 5 more fit, of 12 asked at once
  // through both processes.
  const replies = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    person(i % 2 ? top : child, `racer-${i}`, i % 3 ? server.url : second.url)));
  const statuses = replies.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(5);
  expect(statuses.filter((s) => s === 402)).toHaveLength(7);
  for (const refused of replies.filter((r) => r.status === 402)) expect402(refused, 'persons', 'TIER_MAX_PERSONS');
  expect(await count(`select count(*) as n from person where organization_id = any($1::uuid[])`, [[top.id, child.id]])).toBe(6);
  // Every way of creating a person is held to it.
  const scim = scimClient(server, child.id, child.apiKey);
  const viaScim = await scim('POST', '/Users', { schemas: [USER], userName: 'scim-over' });
  expect(viaScim.status).toBe(402);
  const batch = await call(server.url, 'POST', '/graphql', {
    ...as(top), json: { query: 'mutation { batchCreatePersons(inputs: [{ handles: [{ type: username, value: "batch-over" }] }]) { createdCount failed { reason } } }' },
  });
  expect(batch.body.data?.batchCreatePersons ?? batch.body).toMatchObject({ createdCount: 0, failed: [{ reason: expect.stringContaining('TIER_MAX_PERSONS') }] });
  // A bulk import is held to it row by row, each refused row saying why.
  const form = new FormData();
  form.append('persons', new Blob(['slashid:usernames\nbulk-over-1\nbulk-over-2\n'], { type: 'text/csv' }), 'persons.csv');
  const bulk = await fetch(`${server.url}/persons/bulk-import`, { method: 'POST', headers: slashidHeaders(top), body: form });
  const imported = (await bulk.json() as { result: { successful_imports: number; failed_imports: number; failed_csv: string } }).result;
  expect(imported).toMatchObject({ successful_imports: 0, failed_imports: 2 });
  expect(imported.failed_csv).toContain('TIER_MAX_PERSONS');
  // A deletion makes room for one.
  const someone = replies.find((r) => r.status === 201)!.body.result.person_id;
  const owner = replies.findIndex((r) => r.status === 201) % 2 ? top : child;
  expect((await call(server.url, 'DELETE', `/persons/${someone}`, as(owner))).status).toBe(204);
  expect((await person(top, 'after-delete')).status).toBe(201);
  expect((await person(top, 'one-too-many')).status).toBe(402);
  // Another hierarchy is counted apart.
  const elsewhere = await server.createOrg('Persons elsewhere');
  expect((await person(elsewhere, 'elsewhere-1')).status).toBe(201);
});

test('groups and suborganizations: parallel creations stop at the limit; 402 says which limit', async () => {
  const top = await server.createOrg('Groups top');
  const groups = await Promise.all(Array.from({ length: 8 }, (_, i) =>
    call(i % 2 ? second.url : server.url, 'POST', '/groups', { ...as(top), json: { name: `g${i}` } })));
  expect(groups.filter((r) => r.status === 201)).toHaveLength(3);
  for (const refused of groups.filter((r) => r.status !== 201)) expect402(refused, 'groups', 'TIER_MAX_GROUPS');
  expect(await count(`select count(*) as n from access_group where organization_id = $1`, [top.id])).toBe(3);
  // An existing group is no new one: asking for it again still answers it.
  const existing = groups.findIndex((r) => r.status === 201);
  expect((await call(server.url, 'POST', '/groups', { ...as(top), json: { name: `g${existing}` } })).status).toBe(201);

  const subs = await Promise.all(Array.from({ length: 6 }, (_, i) => call(i % 2 ? second.url : server.url, 'POST', '/organizations/suborganizations', {
    ...as(top), json: { sub_org_name: `Sub ${i}`, admins: [{ type: 'username', value: `sub-admin-${i}` }] },
  })));
  expect(subs.filter((r) => r.status === 200)).toHaveLength(2);
  for (const refused of subs.filter((r) => r.status !== 200)) expect402(refused, 'suborganizations', 'TIER_MAX_SUBORGANIZATIONS');
  expect(await count(`select count(*) as n from organization where parent_id = $1`, [top.id])).toBe(2);
  // The usage shows the hierarchy at its limits.
  expect((await call(server.url, 'GET', '/organizations/quota/usage', as(top))).body.result).toMatchObject({
    num_suborganizations: 2, num_groups: 3,
  });
});

test('creations of persons, groups and suborganizations in one hierarchy, all at once: no deadlock, no 500', async () => {
  const top = await server.createOrg('Mixed top');
  const sub = await call(server.url, 'POST', '/organizations/suborganizations', {
    ...as(top), json: { sub_org_name: 'Mixed sub', admins: [{ type: 'username', value: 'mixed-sub-admin' }] },
  });
  const child: TestOrg = { id: sub.body.result.id, apiKey: sub.body.result.api_key, name: 'Mixed sub' };
  const work = Array.from({ length: 12 }, (_, i) => {
    const url = i % 2 ? second.url : server.url;
    if (i % 3 === 0) return person(child, `mixed-${i}`, url);
    if (i % 3 === 1) return call(url, 'POST', '/organizations/suborganizations', {
      ...as(child), json: { sub_org_name: `Mixed deep ${i}`, admins: [{ type: 'username', value: `mixed-deep-${i}` }] },
    });
    return call(url, 'POST', '/groups', { ...as(child), json: { name: `mixed-${i}` } });
  });
  const statuses = (await Promise.all(work)).map((r) => r.status);
  expect(statuses.every((s) => [200, 201, 402].includes(s))).toBe(true);
  // Within the limits: 6 persons (admins included), 3 groups, 2 suborganizations below the root.
  const ids = (await server.sql<{ id: string }>(`select id from organization where id = $1 or parent_id = $1
    or parent_id in (select id from organization where parent_id = $1)`, [top.id])).map((r) => r.id);
  expect(ids.length - 1).toBeLessThanOrEqual(2);
  expect(await count(`select count(*) as n from person where organization_id = any($1::uuid[])`, [ids])).toBeLessThanOrEqual(6);
  expect(await count(`select count(*) as n from access_group where organization_id = any($1::uuid[])`, [ids])).toBeLessThanOrEqual(3);
});
