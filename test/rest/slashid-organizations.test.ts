// The SlashID organization hierarchy: GET|DELETE /organizations and GET|POST
// /organizations/suborganizations — pools shared by owner, the new key shown once, SCIM filters,
// deletion rules, tenant isolation, refusals that change nothing, and races.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let root: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  root = await server.createOrg('Root Co');
});
afterAll(() => server.close());

const email = (local: string) => ({ type: 'email_address', value: `${local}@example.com` });
const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const orgCount = async () => Number((await server.sql<{ n: string }>('select count(*) as n from organization'))[0].n);

async function createSub(parent: TestOrg, name: string, extra: Record<string, unknown> = {}): Promise<TestOrg & { body: any }> {
  const r = await call(server.url, 'POST', '/organizations/suborganizations', {
    ...as(parent), json: { sub_org_name: name, admins: [email(`admin-${name.toLowerCase().replace(/\W/g, '')}`)], ...extra },
  });
  if (r.status !== 200) throw new Error(`create ${name}: ${r.status} ${r.text}`);
  return { id: r.body.result.id, apiKey: r.body.result.api_key, name, body: r.body.result };
}
const info = async (org: TestOrg) => (await call(server.url, 'GET', '/organizations', as(org))).body.result;
const subs = async (org: TestOrg, filter?: string) => {
  const r = await call(server.url, 'GET', `/organizations/suborganizations${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`, as(org));
  return r.status === 200 ? r.body.result : r;
};

test('a suborganization: its answer (key shown once, no-store), its own key works, its admin is its person', async () => {
  const r = await call(server.url, 'POST', '/organizations/suborganizations', { ...as(root), json: { sub_org_name: ' Sales ', admins: [email('boss')] } });
  expect(r.status).toBe(200);
  expect(r.headers.get('cache-control')).toBe('no-store');
  const { id, api_key, ...rest } = r.body.result;
  expect(rest).toEqual({ org_name: 'Sales', tenant_name: 'Root Co', parent_id: root.id });
  const sales = { id, apiKey: api_key, name: 'Sales' };
  expect(await info(sales)).toEqual({
    id, org_name: 'Sales', tenant_name: 'Root Co', parent_id: root.id,
    persons_pool_org_ids: [id], group_pool_org_ids: [id], inherits_rbac_pools: false,
  });
  const boss = await call(server.url, 'GET', `/persons?handle=${encodeURIComponent('email_address:boss@example.com')}`, as(sales));
  expect(boss.body.result).toHaveLength(1);
  // The root's own answer has no parent_id and lists only itself in its pools.
  expect(await info(root)).toEqual({
    id: root.id, org_name: 'Root Co', tenant_name: 'Root Co', persons_pool_org_ids: [root.id], group_pool_org_ids: [root.id], inherits_rbac_pools: false,
  });
  // The vault face sees the same organization as a tenant of the root.
  expect((await call(server.url, 'GET', `/tenants/${id}`, { headers: vaultHeaders(root) })).status).toBe(200);
});

test('shared pools are named by their owner: a chain of sharing flattens, and a pooled person lists every organization', async () => {
  const owner = await createSub(root, 'Pool Owner');
  const sharer = await createSub(owner, 'Sharer', { persons_org_id: owner.id, groups_org_id: owner.id, inherit_rbac_pools: true });
  const second = await createSub(sharer, 'Second Sharer', { persons_org_id: sharer.id });
  expect(await info(owner)).toMatchObject({ persons_pool_org_ids: [owner.id, sharer.id, second.id], group_pool_org_ids: [owner.id, sharer.id] });
  expect(await info(sharer)).toMatchObject({ persons_pool_org_ids: [owner.id, sharer.id, second.id], inherits_rbac_pools: true });
  expect(await info(second)).toMatchObject({ persons_pool_org_ids: [owner.id, sharer.id, second.id], group_pool_org_ids: [second.id] });

  // The sharer's admin is a person of the pool: one id, listed in every organization of the pool.
  const admin = (await call(server.url, 'GET', `/persons?handle=${encodeURIComponent('email_address:admin-sharer@example.com')}`, as(owner))).body.result[0];
  expect(admin).toBeDefined();
  const orgs = await call(server.url, 'GET', `/persons/${admin.person_id}/organizations`, as(owner));
  expect(orgs.status).toBe(200);
  expect(orgs.body.result.map((o: { id: string }) => o.id)).toEqual([owner.id, sharer.id, second.id]);
  const filtered = await call(server.url, 'GET', `/persons/${admin.person_id}/organizations?filter=${encodeURIComponent('org_name sw "second"')}`, as(owner));
  expect(filtered.body.result.map((o: { id: string }) => o.id)).toEqual([second.id]);

  // An admin handle already held in the pool is that person, not a second one.
  const again = await createSub(owner, 'Reuser', { persons_org_id: owner.id, admins: [email('admin-sharer')] });
  const holders = await server.sql('select person_id from handle where normalized = $1', ['admin-sharer@example.com']);
  expect(holders).toEqual([{ person_id: admin.person_id }]);
  expect(await info(again)).toMatchObject({ persons_pool_org_ids: [owner.id, sharer.id, second.id, again.id] });
});

test('GET /organizations/suborganizations lists every descendant, oldest first, with SCIM filters on name, id, parent_org_id', async () => {
  const top = await createSub(root, 'Filter Top');
  const a = await createSub(top, 'Alpha Team');
  const b = await createSub(top, 'Beta Team');
  const deep = await createSub(a, 'alpha deep');
  expect(await subs(top)).toEqual([a.id, b.id, deep.id]);
  expect(await subs(top, 'name eq "ALPHA TEAM"')).toEqual([a.id]);
  expect(await subs(top, 'name co "team"')).toEqual([a.id, b.id]);
  expect(await subs(top, 'name sw "alpha"')).toEqual([a.id, deep.id]);
  expect(await subs(top, `id eq "${b.id}"`)).toEqual([b.id]);
  expect(await subs(top, `parent_org_id eq "${a.id}"`)).toEqual([deep.id]);
  expect(await subs(top, `parent_org_id eq "${top.id}" and not (name sw "beta")`)).toEqual([a.id]);
  expect(await subs(deep)).toEqual([]);
  // A leaf never sees its parent or siblings.
  expect(await subs(a)).toEqual([deep.id]);
  for (const bad of ['name eq', 'nope eq "x"', 'name eq 5', '(name eq "x"']) {
    const r = await subs(top, bad);
    expect([bad, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([bad, 400, 400]);
  }
});

test('isolation: an organization key reaches neither a sibling\'s nor its parent\'s persons, and names no foreign pool', async () => {
  const parent = await createSub(root, 'Iso Parent');
  const left = await createSub(parent, 'Iso Left');
  const right = await createSub(parent, 'Iso Right');
  const person = async (org: TestOrg, local: string) =>
    (await call(server.url, 'POST', '/persons', { ...as(org), json: { handles: [email(local)] } })).body.result.person_id as string;
  const parentsPerson = await person(parent, 'iso-p');
  const rightsPerson = await person(right, 'iso-r');
  for (const id of [parentsPerson, rightsPerson]) {
    expect((await call(server.url, 'GET', `/persons/${id}`, as(left))).status).toBe(404);
    expect((await call(server.url, 'GET', `/persons/${id}/organizations`, as(left))).status).toBe(404);
  }
  // A pool outside what the caller manages: the same 412 as for an id that does not exist.
  const before = await orgCount();
  for (const foreign of [parent.id, right.id, crypto.randomUUID(), 'not-a-uuid']) {
    const r = await call(server.url, 'POST', '/organizations/suborganizations', {
      ...as(left), json: { sub_org_name: 'Thief', admins: [email('thief')], persons_org_id: foreign },
    });
    expect([foreign, r.status]).toEqual([foreign, 412]);
    expect(r.body.errors[0].message).toBe('persons_org_id names no organization you manage: name yours or one below it');
    const g = await call(server.url, 'POST', '/organizations/suborganizations', {
      ...as(left), json: { sub_org_name: 'Thief', admins: [email('thief')], groups_org_id: foreign },
    });
    expect([foreign, g.status]).toEqual([foreign, 412]);
  }
  expect(await orgCount()).toBe(before);
  expect(await server.sql('select 1 from handle where normalized = $1', ['thief@example.com'])).toEqual([]);
});

test('bad input gets a 400 (413 when oversize) and creates nothing', async () => {
  const before = await orgCount();
  const post = (json: unknown) => call(server.url, 'POST', '/organizations/suborganizations', { ...as(root), json });
  const cases: [string, unknown][] = [
    ['no body', undefined], ['no name', { admins: [email('x')] }], ['no admins', { sub_org_name: 'X' }],
    ['empty admins', { sub_org_name: 'X', admins: [] }], ['blank name', { sub_org_name: '   ', admins: [email('x')] }],
    ['long name', { sub_org_name: 'n'.repeat(256), admins: [email('x')] }], ['name a number', { sub_org_name: 5, admins: [email('x')] }],
    ['admins a string', { sub_org_name: 'X', admins: 'x@example.com' }], ['bad handle', { sub_org_name: 'X', admins: [{ type: 'email_address', value: 'nope' }] }],
    ['unknown handle type', { sub_org_name: 'X', admins: [{ type: 'fax', value: '1' }] }],
    ['rbac flag a string', { sub_org_name: 'X', admins: [email('x')], inherit_rbac_pools: 'yes' }],
    ['pool an object', { sub_org_name: 'X', admins: [email('x')], persons_org_id: {} }],
  ];
  for (const [what, json] of cases) {
    const r = await post(json);
    expect([what, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([what, 400, 400]);
  }
  const malformed = await call(server.url, 'POST', '/organizations/suborganizations', { ...as(root), raw: '{"sub_org_name": "X", ' });
  expect(malformed.status).toBe(400);
  const huge = await post({ sub_org_name: 'X', admins: [email('x')], filler: 'x'.repeat(server.config.maxBodyBytes) });
  expect(huge.status).toBe(413);
  expect(await orgCount()).toBe(before);
});

test('refused credentials: none, wrong, a person\'s key; a person over /graphql sees no descendants', async () => {
  const paths: [string, string][] = [['GET', '/organizations'], ['DELETE', '/organizations'], ['GET', '/organizations/suborganizations'], ['POST', '/organizations/suborganizations']];
  const bodyOf = (method: string) => (method === 'POST' ? { json: { sub_org_name: 'Nope', admins: [email('nope')] } } : {});
  const before = await orgCount();
  for (const [method, path] of paths) {
    expect((await call(server.url, method, path, bodyOf(method))).status).toBe(401);
    expect((await call(server.url, method, path, { headers: { 'SlashID-OrgID': root.id, 'SlashID-API-Key': 'wrong' }, ...bodyOf(method) })).status).toBe(401);
  }
  const pat = (await call(server.url, 'POST', '/persons', { ...as(root), json: { handles: [email('pat-org')] } })).body.result.person_id;
  const userKey = (await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(root), json: { tenant_id: root.id, name: 'reader', scopes: ['tenants:read', 'tenants:write'], user_id: pat },
  })).body.api_key as string;
  for (const [method, path] of paths) {
    expect((await call(server.url, method, path, { headers: { 'SlashID-OrgID': root.id, 'SlashID-API-Key': userKey }, ...bodyOf(method) })).status).toBe(401);
  }
  const q = await call(server.url, 'POST', '/graphql', { headers: { 'X-API-Key': userKey }, json: { query: '{ descendantOrganizations { id } }' } });
  expect(q.body).toEqual({ data: { descendantOrganizations: [] } });
  const m = await call(server.url, 'POST', '/graphql', {
    headers: { 'X-API-Key': userKey }, json: { query: 'mutation { createSuborganization(input: {name: "X", admins: []}) { apiKey } }' },
  });
  expect(m.body.errors[0].extensions.code).toBe('FORBIDDEN');
  expect(await orgCount()).toBe(before);
});

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const del = (org: TestOrg, query = '') => call(server.url, 'DELETE', `/organizations${query}`, as(org));

test('DELETE /organizations: a leaf goes (its key with it); a root, a parent without confirmation, or a used pool owner stay (409)', async () => {
  expect((await del(root)).status).toBe(409);
  const parent = await createSub(root, 'Del Parent');
  const leaf = await createSub(parent, 'Del Leaf');
  await call(server.url, 'POST', '/persons', { ...as(leaf), json: { handles: [email('leafy')] } });
  const r = await del(parent);
  expect([r.status, r.body.errors[0].message]).toEqual([409, expect.stringContaining('delete_suborganizations=true')]);
  expect((await del(leaf)).status).toBe(204);
  expect((await call(server.url, 'GET', '/organizations', as(leaf))).status).toBe(401);
  expect(await subs(parent)).toEqual([]);
  expect(await server.sql('select 1 from person where organization_id = $1', [leaf.id])).toEqual([]);

  // A pool owner stays while an organization outside what is deleted shares its pool.
  const owner = await createSub(parent, 'Owner Leaf');
  const user = await createSub(parent, 'Pool User', { groups_org_id: owner.id });
  expect((await del(owner)).status).toBe(409);
  expect((await del(user)).status).toBe(204);
  expect((await del(owner)).status).toBe(204);
});

test('DELETE with delete_suborganizations: the confirmation is 10–60 s old, else 400 and nothing goes', async () => {
  const top = await createSub(root, 'Cascade Top');
  const mid = await createSub(top, 'Cascade Mid');
  const low = await createSub(mid, 'Cascade Low', { persons_org_id: mid.id });
  const before = await orgCount();
  for (const query of ['?delete_suborganizations=true', `?delete_suborganizations=true&confirmation_timestamp=${ago(0)}`,
    `?delete_suborganizations=true&confirmation_timestamp=${ago(5)}`, `?delete_suborganizations=true&confirmation_timestamp=${ago(61)}`,
    `?delete_suborganizations=true&confirmation_timestamp=${ago(-30)}`, '?delete_suborganizations=true&confirmation_timestamp=yesterday',
    '?delete_suborganizations=maybe']) {
    const r = await del(top, query.replaceAll('+', '%2B'));
    expect([query, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([query, 400, 400]);
  }
  expect(await orgCount()).toBe(before);
  // Without the flag the timestamp is not looked at, and the children still keep the parent.
  expect((await del(top, `?confirmation_timestamp=${ago(30)}`)).status).toBe(409);
  expect((await del(top, `?delete_suborganizations=true&confirmation_timestamp=${ago(30)}`)).status).toBe(204);
  expect(await orgCount()).toBe(before - 3);
  for (const org of [top, mid, low]) expect((await call(server.url, 'GET', '/organizations', as(org))).status).toBe(401);
});

test('races: parallel creations sharing one admin in a pool make one person; delete and create below never both win', async () => {
  const owner = await createSub(root, 'Race Owner');
  const replies = await Promise.all(Array.from({ length: 5 }, (_, i) => call(server.url, 'POST', '/organizations/suborganizations', {
    ...as(owner), json: { sub_org_name: `Racer ${i}`, admins: [email('race-admin')], persons_org_id: owner.id },
  })));
  const statuses = replies.map((r) => r.status);
  expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
  expect(statuses).toContain(200);
  expect(await server.sql('select person_id from handle where normalized = $1', ['race-admin@example.com'])).toHaveLength(1);
  expect((await subs(owner)).length).toBe(statuses.filter((s) => s === 200).length);

  for (let round = 0; round < 3; round++) {
    const leaf = await createSub(owner, `Doomed ${round}`);
    const [deleted, created] = await Promise.all([
      del(leaf),
      call(server.url, 'POST', '/organizations/suborganizations', { ...as(leaf), json: { sub_org_name: 'Late child', admins: [email(`late-${round}`)] } }),
    ]);
    const outcome = `${deleted.status}/${created.status}`;
    expect(['204/401', '204/404', '409/200']).toContain(outcome);
    const orphans = await server.sql(`select id from organization o where parent_id is not null and not exists (select 1 from organization p where p.id = o.parent_id)`);
    expect(orphans).toEqual([]);
  }
});

test('a shared person pool: one person, one id, reached from every organization of the pool and from no other', async () => {
  const owner = await createSub(root, 'People Owner');
  const sharer = await createSub(owner, 'People Sharer', { persons_org_id: owner.id });
  const stranger = await createSub(owner, 'People Stranger');
  const create = (org: TestOrg, local: string) => call(server.url, 'POST', '/persons', { ...as(org), json: { handles: [email(local)] } });
  const made = await create(sharer, 'pooled');
  expect(made.status).toBe(201);
  const id = made.body.result.person_id as string;
  for (const org of [owner, sharer]) expect((await call(server.url, 'GET', `/persons/${id}`, as(org))).body.result.person_id).toBe(id);
  expect((await call(server.url, 'GET', `/persons/${id}`, as(stranger))).status).toBe(404);
  const byOwner = (await create(owner, 'owned')).body.result.person_id as string;
  const listed = (await call(server.url, 'GET', '/persons', as(sharer))).body.result.map((p: { person_id: string }) => p.person_id);
  expect(listed).toEqual(expect.arrayContaining([id, byOwner]));
  expect((await call(server.url, 'GET', '/persons', as(stranger))).body.result.map((p: { person_id: string }) => p.person_id)).not.toContain(id);
  // A handle is unique in the pool, whichever organization writes it.
  expect((await create(owner, 'pooled')).status).toBe(409);
  expect((await call(server.url, 'GET', `/persons/${id}/organizations`, as(sharer))).body.result.map((o: { id: string }) => o.id))
    .toEqual([owner.id, sharer.id]);
  // A change through one organization is the person's in all.
  expect((await call(server.url, 'PATCH', `/persons/${id}`, { ...as(sharer), json: { active: false } })).status).toBe(200);
  expect((await call(server.url, 'GET', `/persons/${id}`, as(owner))).body.result.active).toBe(false);
  expect((await call(server.url, 'DELETE', `/persons/${id}`, as(stranger))).status).toBe(404);
  expect((await call(server.url, 'DELETE', `/persons/${id}`, as(owner))).status).toBe(204);
  expect((await call(server.url, 'GET', `/persons/${id}`, as(sharer))).status).toBe(404);
});
