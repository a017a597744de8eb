// SCIM group displayNames the group name rule does not admit ("Sales Team"), group externalId,
// If-None-Match on lists and resources, and phone filters written as people write numbers.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { GROUP, USER, createTenant, expectScimError, patch, scimClient, type Scim } from './helpers.ts';

let server: TestServer;
let acme: TestOrg;
let scim: Scim;
let member: string;

const stored = async (id: string) =>
  (await server.sql('select name, display_name as "displayName", external_id as "externalId" from access_group where id = $1', [id]))[0];
const filterGroups = async (filter: string) => (await scim('GET', `/Groups?filter=${encodeURIComponent(filter)}&excludedAttributes=members`)).body;

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  await createTenant(server, acme, 'acme-names');
  scim = scimClient(server, 'acme-names', acme.apiKey);
  member = (await scim('POST', '/Users', { schemas: [USER], userName: 'names-u1' })).body.id;
});
afterAll(() => server.close());

describe('displayName with spaces', () => {
  let sales: string;
  test('"Sales Team" is kept as the displayName; the group gets a valid name derived from it', async () => {
    const r = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Sales Team', externalId: 'okta-00g1', members: [{ value: member }] });
    expect(r.status).toBe(201);
    sales = r.body.id;
    expect(r.body).toMatchObject({ displayName: 'Sales Team', externalId: 'okta-00g1', members: [{ value: member }] });
    expect(await stored(sales)).toEqual({ name: 'Sales_Team', displayName: 'Sales Team', externalId: 'okta-00g1' });
    expect((await scim('GET', `/Users/${member}`)).body.groups).toEqual([expect.objectContaining({ value: sales, display: 'Sales Team' })]);
    const filtered = await scim('GET', `/Users?filter=${encodeURIComponent('groups.display eq "sales team"')}`);
    expect(filtered.body.totalResults).toBe(1);
  });

  test('a name the derived one already holds gets the next free name; a taken displayName is 409', async () => {
    const r = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Sales_Team' });
    expect(r.status).toBe(201);
    expect(await stored(r.body.id)).toEqual({ name: 'Sales_Team-2', displayName: 'Sales_Team', externalId: null });
    const accented = await scim('POST', '/Groups', { schemas: [GROUP], displayName: ' Équipe R&D (Paris) ' });
    expect((await stored(accented.body.id)).name).toBe('Equipe_R_D_Paris');
    expect((await stored((await scim('POST', '/Groups', { schemas: [GROUP], displayName: '日本' })).body.id)).name).toBe('group');
    expectScimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Sales Team' }), 409, 'uniqueness');
    expectScimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: '   ' }), 400, 'invalidValue');
    expectScimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'x'.repeat(257) }), 400, 'invalidValue');
    expectScimError(await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Ext', externalId: 7 }), 400, 'invalidValue');
  });

  test('filters, sortBy and PATCH/PUT on displayName and externalId', async () => {
    expect((await filterGroups('displayName eq "Sales Team"')).Resources.map((g: any) => g.id)).toEqual([sales]);
    expect((await filterGroups('displayName sw "sales"')).totalResults).toBe(2);
    expect((await filterGroups('externalId eq "okta-00g1"')).Resources.map((g: any) => g.id)).toEqual([sales]);
    expect((await filterGroups('externalId eq "OKTA-00G1"')).totalResults).toBe(0); // caseExact
    const sorted = await scim('GET', '/Groups?sortBy=externalId&excludedAttributes=members');
    expect(sorted.body.Resources[0].id).toBe(sales);

    let r = await scim('PATCH', `/Groups/${sales}`, patch({ op: 'Replace', path: 'displayName', value: 'Sales Team EMEA' }));
    expect(r.body.displayName).toBe('Sales Team EMEA');
    expect(await stored(sales)).toMatchObject({ name: 'Sales_Team_EMEA', displayName: 'Sales Team EMEA' });
    r = await scim('PATCH', `/Groups/${sales}`, patch({ op: 'replace', value: { id: sales, displayName: 'SalesEMEA', externalId: 'entra-1' } }));
    expect(r.body).toMatchObject({ displayName: 'SalesEMEA', externalId: 'entra-1' });
    expect(await stored(sales)).toEqual({ name: 'SalesEMEA', displayName: null, externalId: 'entra-1' });
    r = await scim('PATCH', `/Groups/${sales}`, patch({ op: 'remove', path: 'externalId' }));
    expect(r.body.externalId).toBeUndefined();
    r = await scim('PUT', `/Groups/${sales}`, { schemas: [GROUP], displayName: 'Sales Team', externalId: 'put-1', members: [] });
    expect(r.body).toMatchObject({ displayName: 'Sales Team', externalId: 'put-1', members: [] });
    expect((await stored(sales)).name).toBe('Sales_Team');
  });
});

describe('If-None-Match', () => {
  test('a list answers its ETag and 304 while nothing it shows changed', async () => {
    for (const path of ['/Users?filter=userName sw "names-"', '/Groups?sortBy=displayName']) {
      const first = await scim('GET', path);
      const tag = first.headers.get('etag')!;
      expect(tag).toMatch(/^W\/"/);
      const again = await scim('GET', path, undefined, { 'If-None-Match': tag });
      expect([again.status, again.text]).toEqual([304, '']);
      expect(again.headers.get('etag')).toBe(tag);
      expect((await scim('GET', path, undefined, { 'If-None-Match': 'W/"other"' })).status).toBe(200);
    }
    const tag = (await scim('GET', '/Users?filter=userName sw "names-"')).headers.get('etag')!;
    await scim('PATCH', `/Users/${member}`, patch({ op: 'replace', path: 'displayName', value: 'Changed' }));
    const changed = await scim('GET', '/Users?filter=userName sw "names-"', undefined, { 'If-None-Match': tag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
  });

  test('one resource: its version or * answers 304', async () => {
    const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Tagged Group' });
    const version = group.body.meta.version;
    expect((await scim('GET', `/Groups/${group.body.id}`, undefined, { 'If-None-Match': version })).status).toBe(304);
    expect((await scim('GET', `/Groups/${group.body.id}`, undefined, { 'If-None-Match': '*' })).status).toBe(304);
    expect((await scim('GET', `/Users/${member}`, undefined, { 'If-None-Match': 'W/"stale", W/"older"' })).status).toBe(200);
  });
});

describe('phone numbers in filters', () => {
  test('a number written with spaces, brackets and dashes finds the one stored in E.164', async () => {
    const id = (await scim('POST', '/Users', {
      schemas: [USER], userName: 'names-phone', phoneNumbers: [{ value: '+1 (555) 123-4567', type: 'work' }],
    })).body.id;
    for (const filter of [
      'phoneNumbers.value eq "+1 (555) 123-4567"', 'phoneNumbers eq "+15551234567"', 'phoneNumbers[value eq "+1 555 123 4567"]',
      'phoneNumbers[type eq "work" and value sw "+1 (555)"]', 'phoneNumbers.value co "123-4567"', 'phoneNumbers.value ew "(4567)"',
    ]) {
      const r = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect([filter, r.body.Resources?.map((u: any) => u.id)]).toEqual([filter, [id]]);
    }
    const none = await scim('GET', `/Users?filter=${encodeURIComponent('phoneNumbers.value eq "+1 (555) 123-4568"')}`);
    expect(none.body.totalResults).toBe(0);
  });
});
