import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let ada: string;

const as = (org: TestOrg, extra: Record<string, string> = {}) => ({ headers: { ...slashidHeaders(org), ...extra } });
const count = async (table: string) => (await server.sql(`select count(*)::int as n from ${table}`))[0].n;
const enc = encodeURIComponent;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'ada' }] } });
  ada = r.body.result.person_id;
});
afterAll(() => server.close());

describe('permissions', () => {
  test('create (204), duplicate (409), list with ETag, get, patch with If-Match', async () => {
    for (const name of ['billing:read', 'billing/write', 'users.admin']) {
      const r = await call(server.url, 'POST', '/rbac/permissions', { ...as(acme), json: { name, description: `may ${name}` } });
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
    }
    expect((await call(server.url, 'POST', '/rbac/permissions', { ...as(acme), json: { name: 'billing:read' } })).status).toBe(409);
    const list = await call(server.url, 'GET', '/rbac/permissions', as(acme));
    expect(list.body).toEqual({ result: ['billing/write', 'billing:read', 'users.admin'] });
    expect(list.headers.get('etag')).toMatch(/^".+"$/);
    const one = await call(server.url, 'GET', `/rbac/permissions/${enc('billing/write')}`, as(acme));
    expect(one.status).toBe(200);
    expect(one.body.result).toMatchObject({ name: 'billing/write', description: 'may billing/write' });
    const etag = one.headers.get('etag')!;
    const stale = await call(server.url, 'PATCH', `/rbac/permissions/${enc('billing/write')}`, {
      ...as(acme, { 'If-Match': '"stale"' }), json: { description: 'x' },
    });
    expect(stale.status).toBe(412);
    const ok = await call(server.url, 'PATCH', `/rbac/permissions/${enc('billing/write')}`, {
      ...as(acme, { 'If-Match': etag }), json: { description: 'writes bills' },
    });
    expect(ok.status).toBe(204);
    const again = await call(server.url, 'GET', `/rbac/permissions/${enc('billing/write')}`, as(acme));
    expect(again.body.result.description).toBe('writes bills');
    expect(again.headers.get('etag')).not.toBe(etag);
  });

  test.each([
    ['too short', { name: 'a' }], ['bad character', { name: 'a b' }], ['wrong type', { name: 1 }],
    ['too long', { name: 'a'.repeat(1025) }], ['missing name', {}],
  ])('POST /rbac/permissions answers 400 for %s', async (_, json) => {
    const before = await count('permission');
    expect((await call(server.url, 'POST', '/rbac/permissions', { ...as(acme), json })).status).toBe(400);
    expect(await count('permission')).toBe(before);
  });

  test('unknown permission is 404; malformed JSON 400; no credentials 401', async () => {
    expect((await call(server.url, 'GET', '/rbac/permissions/nope1', as(acme))).status).toBe(404);
    expect((await call(server.url, 'PATCH', '/rbac/permissions/nope1', { ...as(acme), json: {} })).status).toBe(404);
    expect((await call(server.url, 'DELETE', '/rbac/permissions/nope1', as(acme))).status).toBe(404);
    expect((await call(server.url, 'POST', '/rbac/permissions', { ...as(acme), raw: '{' })).status).toBe(400);
    expect((await call(server.url, 'GET', '/rbac/permissions')).status).toBe(401);
  });
});

describe('roles', () => {
  const viewer = () => `${acme.id}/billing-viewer`;

  test('create a role holding permissions (name prefixed with the org id), get it with ETag', async () => {
    const r = await call(server.url, 'POST', '/rbac/roles', {
      ...as(acme), json: { name: viewer(), description: 'views bills', permissions: ['billing:read'] },
    });
    expect(r.status).toBe(204);
    expect((await call(server.url, 'POST', '/rbac/roles', { ...as(acme), json: { name: 'editor', permissions: ['billing/write'] } })).status).toBe(204);
    expect((await call(server.url, 'POST', '/rbac/roles', { ...as(acme), json: { name: 'editor' } })).status).toBe(409);
    const list = await call(server.url, 'GET', '/rbac/roles', as(acme));
    expect(list.body.result).toEqual([viewer(), 'editor'].sort());
    expect(list.headers.get('etag')).toBeTruthy();
    const one = await call(server.url, 'GET', `/rbac/roles/${enc(viewer())}`, as(acme));
    expect(one.status).toBe(200);
    expect(one.body.result).toMatchObject({ name: viewer(), description: 'views bills', permissions: ['billing:read'] });
    expect(one.headers.get('etag')).toBeTruthy();
  });

  test('role failures: unknown permission, another org prefix, bad names', async () => {
    const before = await count('role');
    for (const json of [
      { name: 'r1', permissions: ['nope:nope'] },
      { name: `${other.id}/r2` },
      { name: 'r' },
      { name: 'a/b' },
      { name: 'ok-name', permissions: 'billing:read' },
    ]) {
      expect((await call(server.url, 'POST', '/rbac/roles', { ...as(acme), json })).status).toBe(400);
    }
    expect(await count('role')).toBe(before);
  });

  test('PATCH with If-Match: 412 when stale, 204 when current', async () => {
    const path = `/rbac/roles/${enc(viewer())}`;
    const etag = (await call(server.url, 'GET', path, as(acme))).headers.get('etag')!;
    expect((await call(server.url, 'PATCH', path, { ...as(acme, { 'If-Match': '"x"' }), json: { permissions: [] } })).status).toBe(412);
    const ok = await call(server.url, 'PATCH', path, {
      ...as(acme, { 'If-Match': etag }), json: { permissions: ['billing:read', 'users.admin'] },
    });
    expect(ok.status).toBe(204);
    expect((await call(server.url, 'GET', path, as(acme))).body.result.permissions).toEqual(['billing:read', 'users.admin']);
    expect((await call(server.url, 'PATCH', path, { ...as(acme, { 'If-Match': etag }), json: {} })).status).toBe(412);
    expect((await call(server.url, 'PATCH', '/rbac/roles/unknown', { ...as(acme), json: {} })).status).toBe(404);
  });

  test('a permission held by a role cannot be deleted (409); a free one can', async () => {
    expect((await call(server.url, 'DELETE', `/rbac/permissions/${enc('billing:read')}`, as(acme))).status).toBe(409);
    expect(await count('permission')).toBe(3);
    await call(server.url, 'POST', '/rbac/permissions', { ...as(acme), json: { name: 'temp.perm' } });
    expect((await call(server.url, 'DELETE', '/rbac/permissions/temp.perm', as(acme))).status).toBe(204);
  });
});

describe('persons and RBAC', () => {
  test('roles and additional permissions make effective permissions; check answers granted', async () => {
    const rolesPath = `/persons/${ada}/roles`;
    const etag = (await call(server.url, 'GET', rolesPath, as(acme))).headers.get('etag')!;
    expect((await call(server.url, 'PUT', rolesPath, { ...as(acme, { 'If-Match': '"old"' }), json: { roles: ['editor'] } })).status).toBe(412);
    expect((await call(server.url, 'PUT', rolesPath, { ...as(acme, { 'If-Match': etag }), json: { roles: ['editor'] } })).status).toBe(204);
    expect((await call(server.url, 'GET', rolesPath, as(acme))).body).toEqual({ result: ['editor'] });
    const permsPath = `/persons/${ada}/additional-permissions`;
    expect((await call(server.url, 'PUT', permsPath, { ...as(acme), json: { permissions: ['users.admin'] } })).status).toBe(204);
    expect((await call(server.url, 'GET', permsPath, as(acme))).body).toEqual({ result: ['users.admin'] });
    expect((await call(server.url, 'GET', `/persons/${ada}/permissions`, as(acme))).body).toEqual({ result: ['billing/write', 'users.admin'] });
    const check = (permission_name: string) => call(server.url, 'POST', '/rbac/check', { ...as(acme), json: { person_id: ada, permission_name } });
    expect((await check('billing/write')).body).toEqual({ result: { granted: true } });
    expect((await check('users.admin')).body).toEqual({ result: { granted: true } });
    expect((await check('billing:read')).body).toEqual({ result: { granted: false } });
    expect((await check('never.made')).body).toEqual({ result: { granted: false } });
  });

  test('unknown roles or permissions are 400 and change nothing', async () => {
    expect((await call(server.url, 'PUT', `/persons/${ada}/roles`, { ...as(acme), json: { roles: ['editor', 'ghost'] } })).status).toBe(400);
    expect((await call(server.url, 'GET', `/persons/${ada}/roles`, as(acme))).body.result).toEqual(['editor']);
    expect((await call(server.url, 'PUT', `/persons/${ada}/additional-permissions`, { ...as(acme), json: { permissions: ['ghost.p'] } })).status).toBe(400);
    expect((await call(server.url, 'PUT', `/persons/${ada}/roles`, { ...as(acme), json: {} })).status).toBe(400);
  });

  test('deleting a role removes it from its holders', async () => {
    await call(server.url, 'POST', '/rbac/roles', { ...as(acme), json: { name: 'temp-role' } });
    await call(server.url, 'PUT', `/persons/${ada}/roles`, { ...as(acme), json: { roles: ['editor', 'temp-role'] } });
    expect((await call(server.url, 'DELETE', '/rbac/roles/temp-role', as(acme))).status).toBe(204);
    expect((await call(server.url, 'DELETE', '/rbac/roles/temp-role', as(acme))).status).toBe(404);
    expect((await call(server.url, 'GET', `/persons/${ada}/roles`, as(acme))).body.result).toEqual(['editor']);
  });

  test('another organization gets 404 or nothing, and changes nothing', async () => {
    expect((await call(server.url, 'GET', '/rbac/roles', as(other))).body).toEqual({ result: [] });
    expect((await call(server.url, 'GET', '/rbac/roles/editor', as(other))).status).toBe(404);
    expect((await call(server.url, 'DELETE', '/rbac/roles/editor', as(other))).status).toBe(404);
    expect((await call(server.url, 'PATCH', '/rbac/roles/editor', { ...as(other), json: { permissions: [] } })).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/rbac/permissions/${enc('billing/write')}`, as(other))).status).toBe(404);
    expect((await call(server.url, 'GET', `/persons/${ada}/permissions`, as(other))).status).toBe(404);
    expect((await call(server.url, 'PUT', `/persons/${ada}/roles`, { ...as(other), json: { roles: [] } })).status).toBe(404);
    expect((await call(server.url, 'POST', '/rbac/check', { ...as(other), json: { person_id: ada, permission_name: 'billing/write' } })).status).toBe(404);
    expect((await call(server.url, 'GET', `/persons/${ada}/roles`, as(acme))).body.result).toEqual(['editor']);
    expect(await count('role')).toBe(2);
  });

  test('check: unknown person 404, missing fields 400, no credentials 401', async () => {
    expect((await call(server.url, 'POST', '/rbac/check', { ...as(acme), json: { person_id: '0659dd31-7e38-7d1e-8704-e3b8b6966176', permission_name: 'users.admin' } })).status).toBe(404);
    expect((await call(server.url, 'POST', '/rbac/check', { ...as(acme), json: { person_id: ada } })).status).toBe(400);
    expect((await call(server.url, 'POST', '/rbac/check', { json: { person_id: ada, permission_name: 'users.admin' } })).status).toBe(401);
  });

  test('the Secrets Vault user shows and sets roles (Person.roles)', async () => {
    const r = await call(server.url, 'GET', `/tenants/${acme.id}/users/${ada}`, { headers: vaultHeaders(acme) });
    expect(r.status).toBe(200);
    expect(r.body.roles).toEqual(['editor']);
  });
});

describe('If-Match with the ETag of the list (the only one the reference declares)', () => {
  let org: TestOrg;
  const patch = (path: string, ifMatch: string, json: unknown) => call(server.url, 'PATCH', path, { ...as(org, { 'If-Match': ifMatch }), json });
  const listTag = async (path: string) => (await call(server.url, 'GET', path, as(org))).headers.get('etag')!;
  beforeAll(async () => {
    org = await server.createOrg('Tags');
    for (const name of ['tag.read', 'tag.write']) await call(server.url, 'POST', '/rbac/permissions', { ...as(org), json: { name } });
    await call(server.url, 'POST', '/rbac/roles', { ...as(org), json: { name: 'tagger', permissions: ['tag.read'] } });
  });

  test('PATCH of an unchanged permission succeeds with the list ETag; a second PATCH with it is 412', async () => {
    const tag = await listTag('/rbac/permissions');
    expect((await patch('/rbac/permissions/tag.read', tag, { description: 'reads tags' })).status).toBe(204);
    expect((await call(server.url, 'GET', '/rbac/permissions/tag.read', as(org))).body.result.description).toBe('reads tags');
    // The write changed the list, so the same tag no longer stands for it: no lost update.
    const stale = await patch('/rbac/permissions/tag.read', tag, { description: 'lost' });
    expect(stale.status).toBe(412);
    expect(stale.body.errors[0]).toMatchObject({ httpcode: 412, message: expect.stringMatching(/read the resource again/) });
    expect((await call(server.url, 'GET', '/rbac/permissions/tag.read', as(org))).body.result.description).toBe('reads tags');
    expect(await listTag('/rbac/permissions')).not.toBe(tag);
  });

  test('a change to another permission of the list makes its old ETag stale (412, nothing written)', async () => {
    const tag = await listTag('/rbac/permissions');
    expect((await patch('/rbac/permissions/tag.write', tag, { description: 'writes tags' })).status).toBe(204);
    expect((await patch('/rbac/permissions/tag.read', tag, { description: 'other' })).status).toBe(412);
    expect((await call(server.url, 'GET', '/rbac/permissions/tag.read', as(org))).body.result.description).toBe('reads tags');
  });

  test('PATCH of an unchanged role succeeds with the list ETag; after a change to its permissions it is 412', async () => {
    const tag = await listTag('/rbac/roles');
    expect((await patch('/rbac/roles/tagger', tag, { permissions: ['tag.read', 'tag.write'] })).status).toBe(204);
    expect((await call(server.url, 'GET', '/rbac/roles/tagger', as(org))).body.result.permissions).toEqual(['tag.read', 'tag.write']);
    expect((await patch('/rbac/roles/tagger', tag, { permissions: [] })).status).toBe(412);
    expect((await call(server.url, 'GET', '/rbac/roles/tagger', as(org))).body.result.permissions).toEqual(['tag.read', 'tag.write']);
    // A role's list tag is not a permission's, nor the other way round.
    expect((await patch('/rbac/permissions/tag.read', await listTag('/rbac/roles'), { description: 'x' })).status).toBe(412);
    expect((await patch('/rbac/roles/tagger', await listTag('/rbac/permissions'), { description: 'x' })).status).toBe(412);
    // The entity's own tag still works, and another organization's list tag does not reach it.
    const own = (await call(server.url, 'GET', '/rbac/roles/tagger', as(org))).headers.get('etag')!;
    expect((await patch('/rbac/roles/tagger', own, { description: 'tags' })).status).toBe(204);
    const foreign = (await call(server.url, 'GET', '/rbac/roles', as(acme))).headers.get('etag')!;
    expect((await patch('/rbac/roles/tagger', foreign, { description: 'y' })).status).toBe(412);
  });

  test('optional descriptions are left out, not null', async () => {
    const role = await call(server.url, 'GET', '/rbac/roles/tagger', as(org));
    expect(role.body.result.description).toBe('tags');
    await call(server.url, 'POST', '/rbac/roles', { ...as(org), json: { name: 'bare' } });
    expect(Object.keys((await call(server.url, 'GET', '/rbac/roles/bare', as(org))).body.result).sort()).toEqual(['created', 'name', 'permissions']);
    await call(server.url, 'POST', '/rbac/permissions', { ...as(org), json: { name: 'bare.perm' } });
    expect(Object.keys((await call(server.url, 'GET', '/rbac/permissions/bare.perm', as(org))).body.result).sort()).toEqual(['created', 'name']);
  });
});
