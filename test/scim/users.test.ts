// SCIM /Users against the real server: every method, filters, projections, versions and errors.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';
import { ENTERPRISE, LIST, USER, createTenant, expectScimError, patch, scimClient, type Scim } from './helpers.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let scim: Scim;

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await createTenant(server, acme, 'acme-scim');
  scim = scimClient(server, 'acme-scim', acme.apiKey);
});
afterAll(() => server.close());

const ada = (extra: Record<string, unknown> = {}) => ({
  schemas: [USER, ENTERPRISE], userName: 'Ada@Example.com', externalId: 'ext-ada', active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' }, displayName: 'Ada L',
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }, { value: 'ada@home.example', type: 'home' }],
  phoneNumbers: [{ value: '+1 (555) 010-2030', type: 'mobile' }, { value: 'ext. 42', type: 'work' }],
  [ENTERPRISE]: { employeeNumber: 'E-1', department: 'Engines', manager: { value: 'boss-1' } },
  ...extra,
});

describe('create, read, list', () => {
  let id: string;
  test('POST answers 201 with Location, ETag and the stored resource', async () => {
    const r = await scim('POST', '/Users', ada());
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    id = r.body.id;
    expect(r.headers.get('location')).toBe(r.body.meta.location);
    expect(r.headers.get('location')).toMatch(new RegExp(`/scim/v2/acme-scim/Users/${id}$`));
    expect(r.headers.get('etag')).toBe(r.body.meta.version);
    expect(r.body).toMatchObject({
      schemas: [USER, ENTERPRISE], userName: 'Ada@Example.com', externalId: 'ext-ada', active: true, displayName: 'Ada L',
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }, { value: 'ada@home.example', type: 'home', primary: false }],
      phoneNumbers: [{ value: '+15550102030', type: 'mobile', primary: true }, { value: 'ext. 42', type: 'work' }],
      groups: [], [ENTERPRISE]: { employeeNumber: 'E-1', department: 'Engines', manager: { value: 'boss-1' } },
      meta: { resourceType: 'User' },
    });
  });

  test('the person shows through the other faces (handles)', async () => {
    const r = await call(server.url, 'GET', `/tenants/acme-scim/users/${id}`, { headers: { 'X-API-Key': acme.apiKey } });
    expect(r.body).toMatchObject({ username: 'Ada@Example.com', email: 'ada@example.com', external_id: 'ext-ada' });
  });

  test('GET one; If-None-Match with the version answers 304', async () => {
    const r = await scim('GET', `/Users/${id}`);
    expect(r.status).toBe(200);
    const again = await scim('GET', `/Users/${id}`, undefined, { 'If-None-Match': r.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  test('a duplicate userName, whatever its case, is 409 uniqueness', async () => {
    expectScimError(await scim('POST', '/Users', { schemas: [USER], userName: 'ADA@example.COM' }), 409, 'uniqueness');
  });

  test.each([
    ['userName eq "ada@example.com"', 1], ['USERNAME EQ "ADA@EXAMPLE.COM"', 1], [`${USER}:userName eq "ada@example.com"`, 1],
    ['emails[type eq "work" and value co "@example.com"]', 1], ['emails[type eq "home" and value co "@example.com"]', 0],
    ['emails.value sw "ada@"', 1], ['emails eq "ada@home.example"', 1], ['externalId eq "ext-ada"', 1], ['externalId eq "EXT-ADA"', 0],
    ['name.familyName eq "lovelace"', 1], ['not (name.familyName eq "Lovelace")', 0], ['displayName pr', 1], ['title pr', 0],
    [`${ENTERPRISE}:department eq "Engines"`, 1], ['active eq true and (userName ew ".com" or emails.type eq "x")', 1],
    ['meta.created gt "2000-01-01T00:00:00Z"', 1], ['meta.lastModified lt "2000-01-01T00:00:00Z"', 0],
    ['phoneNumbers[value eq "+15550102030"]', 1], ['active eq false', 0], ['active ne false', 1], ['emails[primary eq true and value eq "ada@home.example"]', 0],
  ])('filter %s finds %d', async (filter, n) => {
    const r = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    expect([filter, r.status, r.body.totalResults]).toEqual([filter, 200, n]);
    expect(r.body.schemas).toEqual([LIST]);
    expect(r.body.Resources).toHaveLength(n);
  });

  test.each([
    ['userName eq'], ['bogus eq "x"'], ['emails[type eq "work"'], ['userName[value eq "x"]'], ['active co true'],
    ['meta.created gt "yesterday"'], ['(userName eq "x"'], ['emails[bogus eq "x"]'],
  ])('filter %s is 400 invalidFilter', async (filter) => {
    expectScimError(await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
  });

  test('startIndex and count page; count=0 answers the total only', async () => {
    for (let i = 0; i < 4; i++) expect((await scim('POST', '/Users', { schemas: [USER], userName: `pager${i}` })).status).toBe(201);
    const page = await scim('GET', '/Users?filter=userName sw "pager"&startIndex=2&count=2&sortBy=userName&sortOrder=descending');
    expect(page.body).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((u: any) => u.userName)).toEqual(['pager2', 'pager1']);
    const none = await scim('GET', '/Users?filter=userName sw "pager"&count=0');
    expect(none.body).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    const past = await scim('GET', '/Users?filter=userName sw "pager"&startIndex=50');
    expect(past.body).toMatchObject({ totalResults: 4, itemsPerPage: 0 });
    expectScimError(await scim('GET', '/Users?sortBy=password'), 400, 'invalidFilter');
  });

  test('attributes and excludedAttributes shape the answer; id and schemas always come', async () => {
    const only = await scim('GET', `/Users/${id}?attributes=userName,name.givenName,${ENTERPRISE}:department`);
    expect(only.body).toEqual({ schemas: [USER, ENTERPRISE], id, userName: 'Ada@Example.com', name: { givenName: 'Ada' }, [ENTERPRISE]: { department: 'Engines' } });
    const without = await scim('GET', `/Users/${id}?excludedAttributes=emails,meta,id`);
    expect(without.body.emails).toBeUndefined();
    expect(without.body.meta).toBeUndefined();
    expect(without.body.id).toBe(id);
    const list = await scim('GET', '/Users?filter=userName eq "ada@example.com"&attributes=userName');
    expect(list.body.Resources).toEqual([{ schemas: [USER, ENTERPRISE], id, userName: 'Ada@Example.com' }]);
  });
});

describe('PUT, PATCH, DELETE', () => {
  let id: string;
  beforeAll(async () => {
    id = (await scim('POST', '/Users', { schemas: [USER], userName: 'grace', emails: [{ value: 'grace@example.com', type: 'work' }] })).body.id;
  });

  test('PUT replaces: attributes left out are gone', async () => {
    const r = await scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'grace.h', displayName: 'Grace', active: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ userName: 'grace.h', displayName: 'Grace', emails: [], phoneNumbers: [] });
    const handles = await server.sql('select type, value from handle where person_id = $1', [id]);
    expect(handles).toEqual([{ type: 'username', value: 'grace.h' }]);
  });

  test('If-Match with a stale version is 412 and changes nothing; the current one passes', async () => {
    const current = await scim('GET', `/Users/${id}`);
    expect((await scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'title', value: 'RADM' }), { 'If-Match': current.body.meta.version })).status).toBe(200);
    const stale = await scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'stale' }, { 'If-Match': current.body.meta.version });
    expectScimError(stale, 412);
    expect((await scim('GET', `/Users/${id}`)).body.userName).toBe('grace.h');
  });

  test('PATCH add, replace, remove with and without path; value-filtered paths', async () => {
    const r = await scim('PATCH', `/Users/${id}`, patch(
      { op: 'add', path: 'emails', value: [{ value: 'g@navy.example', type: 'work' }] },
      { op: 'Replace', path: 'name.familyName', value: 'Hopper' },
      { op: 'replace', value: { nickName: 'Amazing', 'name.givenName': 'Grace' } },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'grace@navy.example' },
      { op: 'remove', path: 'title' },
    ));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ nickName: 'Amazing', name: { familyName: 'Hopper', givenName: 'Grace' }, emails: [{ value: 'grace@navy.example', type: 'work' }] });
    expect(r.body.title).toBeUndefined();
  });

  test.each([
    [patch({ op: 'remove', path: 'emails[type eq "home"' }), 'invalidPath'],
    [patch({ op: 'remove' }), 'noTarget'],
    [patch({ op: 'jump', path: 'title', value: 'x' }), 'invalidSyntax'],
    [{ Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    [patch({ op: 'add', path: 'groups', value: [{ value: 'x' }] }), 'mutability'],
    [patch({ op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue'],
    [patch({ op: 'replace', path: 'userName', value: 'has space' }), 'invalidValue'],
  ])('bad PATCH %j is 400 %s and changes nothing', async (body, scimType) => {
    const before = await scim('GET', `/Users/${id}`);
    expectScimError(await scim('PATCH', `/Users/${id}`, body), 400, scimType);
    expect((await scim('GET', `/Users/${id}`)).body).toEqual(before.body);
  });

  test('PATCH to a userName someone holds is 409 uniqueness', async () => {
    await scim('POST', '/Users', { schemas: [USER], userName: 'taken' });
    expectScimError(await scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'userName', value: 'TAKEN' })), 409, 'uniqueness');
  });

  test('DELETE answers 204, then 404', async () => {
    const r = await scim('DELETE', `/Users/${id}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expectScimError(await scim('GET', `/Users/${id}`), 404);
    expectScimError(await scim('DELETE', `/Users/${id}`), 404);
  });
});

describe('errors and isolation', () => {
  test('no credentials: 401 with a Bearer challenge, SCIM body', async () => {
    const r = await call(server.url, 'GET', '/scim/v2/acme-scim/Users');
    expectScimError(r, 401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
  });

  test('X-API-Key works as Bearer does', async () => {
    const r = await call(server.url, 'GET', '/scim/v2/acme-scim/Users?count=1', { headers: { 'X-API-Key': acme.apiKey } });
    expect(r.status).toBe(200);
  });

  test("another organization's key finds no tenant: 404", async () => {
    expectScimError(await scimClient(server, 'acme-scim', other.apiKey)('GET', '/Users'), 404);
  });

  test('unknown ids are 404; a body that is not JSON is 400 invalidSyntax; unknown paths are SCIM 404s', async () => {
    expectScimError(await scim('GET', '/Users/not-a-uuid'), 404);
    expectScimError(await scim('GET', '/Users/00000000-0000-4000-8000-000000000000'), 404);
    const r = await call(server.url, 'POST', '/scim/v2/acme-scim/Users', { headers: { authorization: `Bearer ${acme.apiKey}` }, raw: '{', contentType: 'application/scim+json' });
    expectScimError(r, 400, 'invalidSyntax');
    expectScimError(await scim('GET', '/Nothing'), 404);
    expectScimError(await scim('POST', '/Users', { schemas: [USER] }), 400, 'invalidValue');
    expectScimError(await scim('POST', '/Users', { schemas: [USER], userName: 'x', emails: [{ value: 'not-mail' }] }), 400, 'invalidValue');
  });

  test('an undeclared method is 405 in the SCIM shape', async () => {
    const r = await scim('DELETE', '/Users');
    expectScimError(r, 405);
  });
});
