// Replays of the request sequences Microsoft Entra ID and Okta document for SCIM 2.0 provisioning
// (Entra: "Develop a sample SCIM endpoint" request/response examples; Okta: "SCIM 2.0 protocol
// reference"), with their quirks: Entra's capitalised ops and "False" strings, Okta's
// `{"op":"replace","value":{"active":false}}`, both clients' membership PATCHes.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { ENTERPRISE, GROUP, USER, createTenant, patch, scimClient, type Scim } from './helpers.ts';

let server: TestServer;
let acme: TestOrg;
let scim: Scim;

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  await createTenant(server, acme, 'provisioned');
  scim = scimClient(server, 'provisioned', acme.apiKey);
});
afterAll(() => server.close());

/** A live session of the person, as a sign-in leaves it. */
async function signIn(personId: string): Promise<string> {
  const [row] = await server.sql<{ id: string }>(
    `insert into session (id, organization_id, person_id, created, expires_at, created_at)
     select gen_random_uuid(), organization_id, id, '{}'::jsonb, now() + interval '1 hour', now() from person where id = $1 returning id`,
    [personId]);
  return row.id;
}
const endedAt = async (sessionId: string) =>
  (await server.sql<{ ended_at: Date | null }>('select ended_at from session where id = $1', [sessionId]))[0].ended_at;

test('Microsoft Entra ID: users', async () => {
  const userName = 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081';
  expect((await scim('GET', `/Users?filter=userName+eq+"${userName}"`)).body).toMatchObject({ totalResults: 0, Resources: [] });
  const created = await scim('POST', '/Users', {
    schemas: [USER, ENTERPRISE], externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', userName, active: true,
    emails: [{ primary: true, type: 'work', value: 'Test_User_11bb6097-f7e3-4c5c-b5ab-5fcbc40a0f89@testuser.com' }],
    meta: { resourceType: 'User' }, name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' }, roles: [],
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const found = await scim('GET', `/Users?filter=userName+eq+"${userName}"`);
  expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id, userName }] });
  expect((await scim('GET', '/Users?filter=externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')).body.totalResults).toBe(1);

  const replaced = await scim('PATCH', `/Users/${id}`, patch(
    { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
    { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    { op: 'Add', path: `${ENTERPRISE}:manager`, value: '5ba6a4a6-1d22-4f7f-b1ea-0c8d2f6e1e04' },
    { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Sales' },
  ));
  expect(replaced.status).toBe(200);
  expect(replaced.body).toMatchObject({
    emails: [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }], name: { familyName: 'updatedFamilyName' },
    [ENTERPRISE]: { manager: { value: '5ba6a4a6-1d22-4f7f-b1ea-0c8d2f6e1e04' }, department: 'Sales' },
  });
  const noManager = await scim('PATCH', `/Users/${id}`, patch({ op: 'Remove', path: `${ENTERPRISE}:manager` }));
  expect(noManager.body[ENTERPRISE]).toEqual({ department: 'Sales' });

  // Disable: Entra sends the boolean as a capitalised string.
  const session = await signIn(id);
  const disabled = await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
  expect(disabled.body.active).toBe(false);
  expect(await endedAt(session)).not.toBeNull();
  const enabled = await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'True' }));
  expect(enabled.body.active).toBe(true);

  expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
  expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
});

test('Microsoft Entra ID: groups', async () => {
  const user = (await scim('POST', '/Users', { schemas: [USER], userName: 'entra-member', active: true })).body.id;
  const created = await scim('POST', '/Groups', {
    schemas: [GROUP], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName', meta: { resourceType: 'Group' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const byName = await scim('GET', '/Groups?excludedAttributes=members&filter=displayName+eq+"displayName"');
  expect(byName.body).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: 'displayName' }] });
  expect(byName.body.Resources[0].members).toBeUndefined();

  expect((await scim('PATCH', `/Groups/${id}`, patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: user }] }))).status).toBe(200);
  const isMember = `/Groups?excludedAttributes=members&filter=id eq "${id}" and members eq "${user}"`;
  expect((await scim('GET', isMember)).body.totalResults).toBe(1);
  expect((await scim('PATCH', `/Groups/${id}`, patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: user }] }))).status).toBe(200);
  expect((await scim('GET', isMember)).body.totalResults).toBe(0);
  expect((await scim('PATCH', `/Groups/${id}`, patch({ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }))).status).toBe(200);
  expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
});

test('Okta: users', async () => {
  const none = await scim('GET', '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100');
  expect(none.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0 });
  const created = await scim('POST', '/Users', {
    schemas: [USER], userName: 'test.user@okta.local', name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }], displayName: 'Test User', locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7', groups: [], password: '1mz050nq', active: true,
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await scim('GET', '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100')).body.totalResults).toBe(1);
  expect((await scim('GET', `/Users/${id}`)).body).toMatchObject({ userName: 'test.user@okta.local', locale: 'en-US', displayName: 'Test User' });

  const put = await scim('PUT', `/Users/${id}`, {
    schemas: [USER], id, userName: 'test.user@okta.local', name: { givenName: 'Another', familyName: 'User' },
    emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }], displayName: 'Another User', locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7', groups: [], active: true, meta: { resourceType: 'User' },
  });
  expect(put.body).toMatchObject({ name: { givenName: 'Another', familyName: 'User' }, displayName: 'Another User' });

  const session = await signIn(id);
  const off = await scim('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: false } }));
  expect(off.body.active).toBe(false);
  expect(await endedAt(session)).not.toBeNull();
  expect((await scim('GET', '/Users?filter=active eq false')).body.Resources.map((u: any) => u.id)).toContain(id);
});

test('Okta: groups', async () => {
  const user = (await scim('POST', '/Users', { schemas: [USER], userName: 'okta-member@okta.local' })).body.id;
  const created = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Test_SCIMv2', members: [] });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await scim('GET', '/Groups?filter=displayName eq "Test_SCIMv2"&startIndex=1&count=100')).body.totalResults).toBe(1);
  expect((await scim('PATCH', `/Groups/${id}`, patch({ op: 'replace', value: { id, displayName: 'Another_Name' } }))).body.displayName).toBe('Another_Name');
  await scim('PATCH', `/Groups/${id}`, patch({ op: 'add', path: 'members', value: [{ value: user, display: 'okta-member@okta.local' }] }));
  expect((await scim('GET', `/Groups/${id}`)).body.members).toEqual([{ value: user, display: 'okta-member@okta.local', $ref: expect.any(String) }]);
  await scim('PATCH', `/Groups/${id}`, patch({ op: 'remove', path: `members[value eq "${user}"]` }));
  expect((await scim('GET', `/Groups/${id}`)).body.members).toEqual([]);
  expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
});
