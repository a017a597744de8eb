// RBAC pools (issue 13, SlashID `inherit_rbac_pools`): `child` (inheriting, below `owner`) and
// `grandchild` (inheriting, below `child`) use the owner's roles and permissions; permissions are
// read-only there, roles written there are the pool's. `isolated` (below `owner`, not inheriting)
// keeps its own. Also: batch creation and bulk import name the acting organization's pools, and a
// shared group's members are listed only where their person pool is seen.
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { scimClient, GROUP, PATCH } from '../scim/helpers.ts';

let server: TestServer;
let owner: TestOrg;
let child: TestOrg;
let grandchild: TestOrg;
let isolated: TestOrg;
let loner: TestOrg;

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const email = (local: string) => ({ type: 'email_address', value: `${local}@example.com` });
const get = async (org: TestOrg, path: string) => call(server.url, 'GET', path, as(org));
const send = (org: TestOrg, method: string, path: string, json?: unknown) => call(server.url, method, path, { ...as(org), json });

async function createSub(parent: TestOrg, name: string, extra: Record<string, unknown> = {}): Promise<TestOrg> {
  const r = await send(parent, 'POST', '/organizations/suborganizations',
    { sub_org_name: name, admins: [email(`admin-${name.toLowerCase()}`)], ...extra });
  if (r.status !== 200) throw new Error(`create ${name}: ${r.status} ${r.text}`);
  return { id: r.body.result.id, apiKey: r.body.result.api_key, name };
}

async function createPerson(org: TestOrg, username: string): Promise<string> {
  const r = await send(org, 'POST', '/persons', { handles: [{ type: 'username', value: username }] });
  if (r.status !== 201) throw new Error(`person ${username}: ${r.status} ${r.text}`);
  return r.body.result.person_id;
}

beforeAll(async () => {
  server = await startTestServer();
  const root = await server.createOrg('RBAC Pools Root');
  owner = await createSub(root, 'Owner');
  child = await createSub(owner, 'Child', { inherit_rbac_pools: true });
  grandchild = await createSub(child, 'Grandchild', { inherit_rbac_pools: true });
  isolated = await createSub(owner, 'Isolated', { inherit_rbac_pools: false });
  loner = await createSub(root, 'Loner', { persons_org_id: owner.id });
  expect((await send(owner, 'POST', '/rbac/permissions', { name: 'billing:read' })).status).toBe(204);
  expect((await send(owner, 'POST', '/rbac/roles', { name: 'viewer', permissions: ['billing:read'] })).status).toBe(204);
});
afterAll(() => server.close());

describe('inherit_rbac_pools', () => {
  test('the owner is the nearest ancestor that does not inherit, stored at creation', async () => {
    const rows = await server.sql('select id, rbac_pool_id from organization where id = any($1::uuid[]) order by created_at',
      [[owner.id, child.id, grandchild.id, isolated.id]]);
    expect(rows).toEqual([
      { id: owner.id, rbac_pool_id: null }, { id: child.id, rbac_pool_id: owner.id },
      { id: grandchild.id, rbac_pool_id: owner.id }, { id: isolated.id, rbac_pool_id: null },
    ]);
  });

  test('permissions are the owner\'s, read-only in inheriting organizations, absent from the isolated one', async () => {
    for (const org of [child, grandchild]) {
      expect((await get(org, '/rbac/permissions')).body.result).toEqual(['billing:read']);
      expect((await get(org, '/rbac/permissions/billing%3Aread')).status).toBe(200);
      const created = await send(org, 'POST', '/rbac/permissions', { name: 'child:perm' });
      expect(created.status).toBe(400);
      expect(created.body.errors[0].message).toMatch(/inherits its permissions/);
      expect((await send(org, 'PATCH', '/rbac/permissions/billing%3Aread', { description: 'x' })).status).toBe(400);
      expect((await send(org, 'DELETE', '/rbac/permissions/billing%3Aread')).status).toBe(400);
    }
    expect((await get(isolated, '/rbac/permissions')).body.result ?? []).toEqual([]);
    expect((await get(isolated, '/rbac/permissions/billing%3Aread')).status).toBe(404);
    // The isolated organization writes its own, with the same name, apart from the owner's.
    expect((await send(isolated, 'POST', '/rbac/permissions', { name: 'billing:read', description: 'mine' })).status).toBe(204);
    expect((await get(owner, '/rbac/permissions/billing%3Aread')).body.result.description).toBeUndefined();
  });

  test('roles are the pool\'s: created anywhere in it, seen everywhere in it, not outside', async () => {
    expect((await send(child, 'POST', '/rbac/roles', { name: 'child-role', permissions: ['billing:read'] })).status).toBe(204);
    expect(await server.sql(`select organization_id from role where name = 'child-role'`)).toEqual([{ organization_id: owner.id }]);
    for (const org of [owner, child, grandchild]) {
      expect((await get(org, '/rbac/roles')).body.result).toEqual(['child-role', 'viewer']);
    }
    expect((await get(grandchild, '/rbac/roles/child-role')).status).toBe(200);
    // Editing a pool's role from an inheriting organization edits the one role.
    expect((await send(grandchild, 'PATCH', '/rbac/roles/child-role', { description: 'from below' })).status).toBe(204);
    expect((await get(owner, '/rbac/roles/child-role')).body.result.description).toBe('from below');
    expect((await get(isolated, '/rbac/roles')).body.result ?? []).toEqual([]);
    expect((await get(isolated, '/rbac/roles/viewer')).status).toBe(404);
  });

  test('an inherited role assigned to a person of the child: its roles, permissions, check and minted token', async () => {
    const kim = await createPerson(child, 'kim-rbac');
    expect((await send(child, 'PUT', `/persons/${kim}/roles`, { roles: ['viewer'] })).status).toBe(204);
    expect((await get(child, `/persons/${kim}/roles`)).body.result).toEqual(['viewer']);
    expect((await get(child, `/persons/${kim}/permissions`)).body.result).toEqual(['billing:read']);
    const check = await send(child, 'POST', '/rbac/check', { person_id: kim, permission_name: 'billing:read' });
    expect(check.body.result).toEqual({ granted: true });
    const minted = await send(child, 'POST', `/persons/${kim}/mint-token`, {});
    expect(minted.status).toBe(201);
    expect(decodeJwt(minted.body.result)).toMatchObject({ sub: kim, oid: child.id, roles: ['viewer'] });
    // Roles given at creation (the vault face takes them) name the pool's roles too.
    const lee = await call(server.url, 'POST', `/tenants/${grandchild.id}/users`, {
      headers: vaultHeaders(grandchild), json: { username: 'lee-rbac', email: 'lee-rbac@example.com', roles: ['child-role'] },
    });
    expect(lee.status).toBe(201);
    expect(lee.body.roles).toEqual(['child-role']);
    expect((await get(grandchild, `/persons/${lee.body.user_id}/roles`)).body.result).toEqual(['child-role']);
    // The isolated organization knows none of the pool's roles.
    const max = await createPerson(isolated, 'max-rbac');
    const refused = await send(isolated, 'PUT', `/persons/${max}/roles`, { roles: ['viewer'] });
    expect(refused.status).toBe(400);
    expect((await send(isolated, 'PUT', `/persons/${kim}/roles`, { roles: [] })).status).toBe(404);
    expect(decodeJwt((await send(isolated, 'POST', `/persons/${max}/mint-token`, {})).body.result)).toMatchObject({ roles: [] });
  });

  test('GraphQL reads the pool\'s roles and permissions', async () => {
    const r = await call(server.url, 'POST', '/graphql', {
      ...as(grandchild), json: { query: '{ roles { name permissions { name } } permissions { name } }' },
    });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.permissions).toEqual([{ name: 'billing:read' }]);
    expect(r.body.data.roles).toEqual(expect.arrayContaining([{ name: 'viewer', permissions: [{ name: 'billing:read' }] }]));
  });

  test('inherit_rbac_pools cannot be changed after creation', async () => {
    // No route takes it after creation; an organization config PATCH naming it changes nothing.
    const r = await send(child, 'PATCH', '/organizations/config', { inherit_rbac_pools: false });
    expect(r.status).toBeLessThan(500);
    expect((await server.sql('select inherits_rbac_pools from organization where id = $1', [child.id]))[0].inherits_rbac_pools).toBe(true);
  });
});

describe('batch creation and bulk import name the acting organization\'s pools', () => {
  // The loner stores its persons with the owner but keeps its own group and RBAC pools.
  test('vault batch creation resolves roles in the acting organization\'s RBAC pool', async () => {
    expect((await send(loner, 'POST', '/rbac/roles', { name: 'loner-role' })).status).toBe(204);
    const r = await call(server.url, 'POST', `/tenants/${loner.id}/users/batch`, {
      headers: vaultHeaders(loner),
      json: { users: [{ username: 'batch-ann', email: 'batch-ann@example.com', roles: ['loner-role'] },
        { username: 'batch-bo', email: 'batch-bo@example.com', roles: ['viewer'] }] },
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ success_created_count: 1, fail_create_usernames: ['batch-bo'], duplicate_usernames: [] });
    const [{ id, organization_id }] = await server.sql(
      `select p.id, p.organization_id from person p join handle h on h.person_id = p.id where h.normalized = 'batch-ann'`);
    expect(organization_id).toBe(owner.id);
    expect((await get(loner, `/persons/${id}/roles`)).body.result).toEqual(['loner-role']);
    expect((await get(owner, `/persons/${id}/roles`)).body.result).toEqual([]);
  });

  test('bulk import resolves groups in the acting organization\'s group pool', async () => {
    expect((await send(loner, 'POST', '/groups', { name: 'importers' })).status).toBe(201);
    const form = new FormData();
    form.append('persons', new Blob(['slashid:usernames,slashid:groups\nimp-one,importers\n'], { type: 'text/csv' }), 'persons.csv');
    const response = await fetch(`${server.url}/persons/bulk-import`, { method: 'POST', headers: slashidHeaders(loner), body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: { successful_imports: 1, failed_imports: 0 } });
    expect((await get(loner, '/groups/importers/persons')).body.result).toHaveLength(1);
    // The owner's group pool has no such group: the import did not look there.
    expect((await get(owner, '/groups/importers')).status).toBe(404);
  });
});

describe('members of a shared group pool', () => {
  // `grouper` shares the owner's group pool but keeps its own person pool.
  test('each organization lists only the members of its own person pool (REST, GraphQL, SCIM)', async () => {
    const grouper = await createSub(owner, 'Grouper', { groups_org_id: owner.id });
    expect((await send(owner, 'POST', '/groups', { name: 'shared-members' })).status).toBe(201);
    const own = await createPerson(owner, 'own-member');
    const theirs = await createPerson(grouper, 'their-member');
    expect((await send(owner, 'POST', '/groups/shared-members/persons', { persons: [own] })).status).toBe(201);
    expect((await send(grouper, 'POST', '/groups/shared-members/persons', { persons: [theirs] })).status).toBe(201);
    expect((await get(owner, '/groups/shared-members/persons')).body.result).toEqual([own]);
    expect((await get(grouper, '/groups/shared-members/persons')).body.result).toEqual([theirs]);
    const gql = await call(server.url, 'POST', '/graphql', {
      ...as(grouper), json: { query: '{ group(name: "shared-members") { memberIds membersCount } }' },
    });
    expect(gql.body.data.group).toEqual({ memberIds: [theirs], membersCount: 1 });
    const [{ id: groupId }] = await server.sql(`select id from access_group where name = 'shared-members'`);
    const scimMembers = async (org: TestOrg) =>
      (await scimClient(server, org.id, org.apiKey)('GET', `/Groups/${groupId}`)).body.members.map((m: { value: string }) => m.value);
    expect(await scimMembers(owner)).toEqual([own]);
    expect(await scimMembers(grouper)).toEqual([theirs]);
    // The one group still holds both.
    expect((await server.sql('select count(*)::int as n from group_member where group_id = $1', [groupId]))[0].n).toBe(2);
    const scim = scimClient(server, grouper.id, grouper.apiKey);
    expect((await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'scim-shared', members: [{ value: theirs }] })).status).toBe(201);

    // Replacing or removing members changes only the caller's own person pool's memberships.
    const members = async () => (await server.sql('select person_id from group_member where group_id = $1 order by person_id', [groupId]))
      .map((r: { person_id: string }) => r.person_id);
    expect((await scim('PUT', `/Groups/${groupId}`, { schemas: [GROUP], displayName: 'shared-members', members: [] })).status).toBe(200);
    expect(await members()).toEqual([own]);
    const patch = (body: unknown) => scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH], Operations: [body] });
    expect((await patch({ op: 'remove', path: 'members' })).status).toBeLessThan(300);
    expect((await patch({ op: 'remove', path: `members[value eq "${own}"]` })).status).toBeLessThan(300);
    expect((await patch({ op: 'replace', path: 'members', value: [{ value: theirs }] })).status).toBeLessThan(300);
    expect(await members()).toEqual([own, theirs].sort());
  });
});
