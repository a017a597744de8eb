// SCIM /Groups and discovery against the real server; per-user keys and the SCIM scopes.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';
import { GROUP, LIST, USER, createTenant, expectScimError, patch, scimClient, type Scim } from './helpers.ts';

let server: TestServer;
let acme: TestOrg;
let scim: Scim;
const users: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  await createTenant(server, acme, 'acme-groups');
  scim = scimClient(server, 'acme-groups', acme.apiKey);
  for (const name of ['u1', 'u2', 'u3']) users.push((await scim('POST', '/Users', { schemas: [USER], userName: name })).body.id);
});
afterAll(() => server.close());

describe('discovery', () => {
  test('ServiceProviderConfig, ResourceTypes and Schemas', async () => {
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 200 }, etag: { supported: true } });
    const types = await scim('GET', '/ResourceTypes');
    expect(types.body.schemas).toEqual([LIST]);
    expect(types.body.Resources.map((t: any) => t.id)).toEqual(['User', 'Group']);
    expect((await scim('GET', '/ResourceTypes/Group')).body.endpoint).toBe('/Groups');
    expectScimError(await scim('GET', '/ResourceTypes/Robot'), 404);
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.body.totalResults).toBe(3);
    const user = await scim('GET', `/Schemas/${USER}`);
    expect(user.body.attributes.find((a: any) => a.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server' });
    expectScimError(await scim('GET', '/Schemas/urn:nothing'), 404);
  });
});

describe('groups', () => {
  let id: string;
  test('POST with members: 201, Location; the group shows on the SlashID face and in the users', async () => {
    const r = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Engineers', members: [{ value: users[0] }] });
    expect(r.status).toBe(201);
    id = r.body.id;
    expect(r.headers.get('location')).toBe(r.body.meta.location);
    expect(r.body).toMatchObject({ displayName: 'Engineers', members: [{ value: users[0], display: 'u1' }] });
    const slashid = await call(server.url, 'GET', '/groups/Engineers', { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': acme.apiKey } });
    expect(slashid.status).toBe(404); // the group belongs to the tenant, not to the root organization
    expect((await scim('GET', `/Users/${users[0]}`)).body.groups).toEqual([{ value: id, display: 'Engineers', $ref: expect.stringContaining(`/Groups/${id}`) }]);
  });

  test('duplicate displayName is 409 uniqueness; bad names and members are 400 invalidValue', async () => {
    expectScimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Engineers' }), 409, 'uniqueness');
    expectScimError(await scim('POST', '/Groups', { schemas: [GROUP] }), 400, 'invalidValue');
    expectScimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'x', members: [{ value: 'nope' }] }), 400, 'invalidValue');
  });

  test('PATCH adds and removes members (Entra and Okta forms) and renames', async () => {
    let r = await scim('PATCH', `/Groups/${id}`, patch({ op: 'Add', path: 'members', value: [{ value: users[1] }, { value: users[2] }] }));
    expect(r.status).toBe(200);
    expect(r.body.members).toBeUndefined(); // members come back only when asked for
    r = await scim('PATCH', `/Groups/${id}`, patch({ op: 'remove', path: `members[value eq "${users[0]}"]` }));
    r = await scim('PATCH', `/Groups/${id}`, patch({ op: 'Remove', path: 'members', value: [{ value: users[1] }] }));
    r = await scim('PATCH', `/Groups/${id}`, patch({ op: 'replace', value: { id, displayName: 'Engineering' } }));
    const got = await scim('GET', `/Groups/${id}`);
    expect(got.body).toMatchObject({ displayName: 'Engineering', members: [{ value: users[2] }] });
    const noMembers = await scim('GET', `/Groups/${id}?excludedAttributes=members`);
    expect(noMembers.body.members).toBeUndefined();
    expectScimError(await scim('PATCH', `/Groups/${id}`, patch({ op: 'add', path: 'owner', value: 'x' })), 400, 'invalidPath');
    expectScimError(await scim('PATCH', `/Groups/${id}`, patch({ op: 'remove', path: 'displayName' })), 400, 'mutability');
  });

  test('list with filters; PUT replaces members; If-Match; DELETE', async () => {
    const list = await scim('GET', '/Groups?filter=displayName eq "engineering"&excludedAttributes=members');
    expect(list.body).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: 'Engineering' }] });
    const byMember = await scim('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${users[2]}"]`)}`);
    expect(byMember.body.totalResults).toBe(1);
    const current = await scim('GET', `/Groups/${id}`);
    const put = await scim('PUT', `/Groups/${id}`, { schemas: [GROUP], displayName: 'Engineering', members: [{ value: users[0] }] },
      { 'If-Match': current.body.meta.version });
    expect(put.body.members.map((m: any) => m.value)).toEqual([users[0]]);
    expectScimError(await scim('DELETE', `/Groups/${id}`, undefined, { 'If-Match': current.body.meta.version }), 412);
    expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
    expectScimError(await scim('GET', `/Groups/${id}`), 404);
  });
});

describe('per-user keys need the SCIM scopes', () => {
  test('a key with scim:read reads but cannot write; one without it is refused', async () => {
    const keyOf = async (scopes: string[]) => (await call(server.url, 'POST', '/api-keys', {
      headers: { 'X-API-Key': acme.apiKey }, json: { tenant_id: 'acme-groups', user_id: users[0], name: scopes.join(' ') || 'none', scopes },
    })).body.api_key as string;
    const reader = scimClient(server, 'acme-groups', await keyOf(['scim:read']));
    expect((await reader('GET', '/Users')).status).toBe(200);
    expectScimError(await reader('POST', '/Users', { schemas: [USER], userName: 'nope' }), 403);
    const writer = scimClient(server, 'acme-groups', await keyOf(['scim:read', 'scim:write']));
    expect((await writer('POST', '/Users', { schemas: [USER], userName: 'by-key' })).status).toBe(201);
    expectScimError(await scimClient(server, 'acme-groups', await keyOf(['users:read']))('GET', '/Users'), 403);
  });
});
