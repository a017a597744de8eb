// SCIM POST /.search (RFC 7644 §3.4.3) at the root and per type, against the GET lists it mirrors;
// group sortBy; failures in the SCIM error shape.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';
import { GROUP, LIST, USER, createTenant, expectScimError, scimClient, type Scim } from './helpers.ts';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

let server: TestServer;
let acme: TestOrg;
let scim: Scim;
const userIds: string[] = [];
const groupIds: string[] = [];

const search = (path: string, request: Record<string, unknown>) => scim('POST', path, { schemas: [SEARCH], ...request });
const get = (path: string, query: Record<string, string>) => scim('GET', `${path}?${new URLSearchParams(query)}`);

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  await createTenant(server, acme, 'acme-search');
  scim = scimClient(server, 'acme-search', acme.apiKey);
  for (const name of ['search-ada', 'search-bob', 'search-cy']) {
    userIds.push((await scim('POST', '/Users', { schemas: [USER], userName: name, displayName: `${name} person` })).body.id);
  }
  for (const name of ['search-alpha', 'search-beta']) {
    groupIds.push((await scim('POST', '/Groups', { schemas: [GROUP], displayName: name, members: [{ value: userIds[0] }] })).body.id);
  }
});
afterAll(() => server.close());

test('POST /Users/.search answers what the same GET does (filter, sort, paging, attributes)', async () => {
  const posted = await search('/Users/.search', {
    filter: 'userName sw "search-"', sortBy: 'userName', sortOrder: 'descending', startIndex: 2, count: 1, attributes: ['userName'],
  });
  expect(posted.status).toBe(200);
  expect(posted.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  const got = await get('/Users', {
    filter: 'userName sw "search-"', sortBy: 'userName', sortOrder: 'descending', startIndex: '2', count: '1', attributes: 'userName',
  });
  expect(posted.body).toEqual(got.body);
  expect(posted.body).toEqual({ schemas: [LIST], totalResults: 3, startIndex: 2, itemsPerPage: 1, Resources: [{ schemas: [USER], id: userIds[1], userName: 'search-bob' }] });
});

test('POST /Groups/.search and GET /Groups with sortBy; excludedAttributes=members leaves members out', async () => {
  const posted = await search('/Groups/.search', { filter: 'displayName sw "search-"', sortBy: 'displayName', sortOrder: 'descending', excludedAttributes: ['members'] });
  expect(posted.body.Resources.map((g: any) => [g.displayName, g.members])).toEqual([['search-beta', undefined], ['search-alpha', undefined]]);
  const got = await get('/Groups', { filter: 'displayName sw "search-"', sortBy: 'displayName', sortOrder: 'descending', excludedAttributes: 'members' });
  expect(posted.body).toEqual(got.body);
  const withMembers = await search('/Groups/.search', { filter: `id eq "${groupIds[0]}"` });
  expect(withMembers.body.Resources[0].members).toEqual([expect.objectContaining({ value: userIds[0] })]);
  expect((await get('/Groups', { sortBy: 'meta.created', sortOrder: 'ascending' })).body.Resources.map((g: any) => g.id)).toEqual(groupIds);
  expectScimError(await get('/Groups', { sortBy: 'userName' }), 400, 'invalidFilter');
});

test('POST /.search at the root: users then groups, one page over both', async () => {
  const all = await search('/.search', { filter: 'displayName sw "search-"', sortBy: 'displayName' });
  expect(all.status).toBe(200);
  expect(all.body.schemas).toEqual([LIST]);
  expect(all.body.totalResults).toBe(5);
  expect(all.body.Resources.map((r: any) => r.id)).toEqual([...userIds, ...groupIds]);
  expect(all.body.Resources.map((r: any) => r.schemas[0])).toEqual([USER, USER, USER, GROUP, GROUP]);
  const page = await search('/.search', { filter: 'displayName sw "search-"', sortBy: 'displayName', startIndex: 3, count: 2, attributes: ['displayName'] });
  expect(page.body).toMatchObject({ totalResults: 5, startIndex: 3, itemsPerPage: 2 });
  expect(page.body.Resources).toEqual([
    { schemas: [USER], id: userIds[2], displayName: 'search-cy person' }, { schemas: [GROUP], id: groupIds[0], displayName: 'search-alpha' },
  ]);
  const groupsOnly = await search('/.search', { filter: 'displayName sw "search-"', startIndex: 5, count: 10 });
  expect(groupsOnly.body.Resources.map((r: any) => r.id)).toEqual([groupIds[1]]);
  // An attribute only users have: groups match nothing; one neither has is invalidFilter.
  const usersOnly = await search('/.search', { filter: 'userName eq "search-ada"' });
  expect(usersOnly.body.Resources.map((r: any) => r.id)).toEqual([userIds[0]]);
  const counted = await search('/.search', { filter: 'displayName sw "search-"', count: 0 });
  expect(counted.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  expectScimError(await search('/.search', { filter: 'shoeSize eq "9"' }), 400, 'invalidFilter');
  expectScimError(await search('/.search', { filter: 'userName eq' }), 400, 'invalidFilter');
  expectScimError(await search('/.search', { sortBy: 'shoeSize' }), 400, 'invalidFilter');
  // Names every JavaScript object answers to are no attributes either (a fuzzer's __proto__ reached SQL).
  for (const sortBy of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    expectScimError(await search('/.search', { sortBy }), 400, 'invalidFilter');
    expectScimError(await get('/Users', { sortBy }), 400, 'invalidFilter');
    expectScimError(await get('/Groups', { sortBy }), 400, 'invalidFilter');
  }
});

test('failures: credentials, tenant, scope, body', async () => {
  for (const path of ['/.search', '/Users/.search', '/Groups/.search']) {
    const url = `/scim/v2/acme-search${path}`;
    const body = { schemas: [SEARCH] };
    expectScimError(await call(server.url, 'POST', url, { json: body }), 401);
    expectScimError(await call(server.url, 'POST', url, { headers: { authorization: 'Bearer idgk_unknown' }, json: body }), 401);
    const stranger = await server.createOrg(`Stranger ${path}`);
    expectScimError(await call(server.url, 'POST', url, { headers: { authorization: `Bearer ${stranger.apiKey}` }, json: body }), 404);
    const key = (await call(server.url, 'POST', '/api-keys', {
      headers: { 'X-API-Key': acme.apiKey }, json: { tenant_id: 'acme-search', user_id: userIds[0], name: `no scim ${path}`, scopes: ['users:read'] },
    })).body.api_key;
    expectScimError(await call(server.url, 'POST', url, { headers: { authorization: `Bearer ${key}` }, json: body }), 403);
    expectScimError(await call(server.url, 'POST', url, { headers: { authorization: `Bearer ${acme.apiKey}` }, raw: '{"schemas":', contentType: 'application/scim+json' }), 400, 'invalidSyntax');
    expectScimError(await scim('POST', path, { schemas: ['urn:other'] }), 400, 'invalidSyntax');
    expectScimError(await scim('POST', path, [SEARCH]), 400, 'invalidValue');
    expectScimError(await scim('POST', path), 400, 'invalidValue');
    expectScimError(await search(path, { sortOrder: 'sideways' }), 400, 'invalidValue');
    expectScimError(await search(path, { attributes: 'userName' }), 400, 'invalidValue');
    expectScimError(await search(path, { filter: 'userName eq "x" and' }), 400, 'invalidFilter');
  }
  const wrongMethod = await scim('GET', '/Users/.search');
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
});
