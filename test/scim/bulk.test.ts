// SCIM /Bulk against the real server: bulkId references (paths, data, group members, forward and
// circular), failOnErrors, per-operation results, the advertised limits enforced, each operation
// under its own rule, and every failure in the SCIM error shape.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';
import { ERROR, GROUP, USER, createTenant, expectScimError, patch, scimClient, type Scim } from './helpers.ts';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

let server: TestServer;
let acme: TestOrg;
let scim: Scim;

const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => scim('POST', '/Bulk', { schemas: [BULK], Operations, ...extra });
const user = (bulkId: string, userName: string) => ({ method: 'POST', path: '/Users', bulkId, data: { schemas: [USER], userName } });
const scimError = (status: number, scimType?: string) =>
  ({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail: expect.any(String) });

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  await createTenant(server, acme, 'acme-bulk');
  await createTenant(server, acme, 'acme-bulk-other');
  scim = scimClient(server, 'acme-bulk', acme.apiKey);
});
afterAll(() => server.close());

test('ServiceProviderConfig advertises bulk with its limits', async () => {
  const r = await scim('GET', '/ServiceProviderConfig');
  expect(r.body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
});

test('users and a group created in one request: bulkId in member values (also forward) and in a path', async () => {
  const r = await bulk([
    { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'BulkTeam', members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }] } },
    user('u1', 'bulk-ada'),
    user('u2', 'bulk-grace'),
    { method: 'PATCH', path: '/Users/bulkId:u2', data: patch({ op: 'replace', path: 'displayName', value: 'Grace H.' }) },
    { method: 'PATCH', path: '/Groups/bulkId:g', data: patch({ op: 'add', path: 'members', value: [{ value: 'bulkId:u3' }] }) },
    user('u3', 'bulk-linus'),
  ]);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(r.body.schemas).toEqual([BULK_RESPONSE]);
  const ops = r.body.Operations;
  expect(ops.map((o: any) => [o.method, o.bulkId, o.status])).toEqual([
    ['POST', 'g', '201'], ['POST', 'u1', '201'], ['POST', 'u2', '201'], ['PATCH', undefined, '200'], ['PATCH', undefined, '200'], ['POST', 'u3', '201'],
  ]);
  for (const o of ops) {
    expect(o.location).toMatch(/\/scim\/v2\/acme-bulk\/(Users|Groups)\/[0-9a-f-]{36}$/);
    expect(o.version).toMatch(/^W\//);
    expect(o.response).toBeUndefined();
  }
  const id = (i: number) => ops[i].location.split('/').at(-1);
  const group = await scim('GET', `/Groups/${id(0)}`);
  expect(group.body.members.map((m: any) => m.value).sort()).toEqual([id(1), id(2), id(5)].sort());
  expect((await scim('GET', `/Users/${id(2)}`)).body.displayName).toBe('Grace H.');
});

test('per-operation errors: each answers its SCIM error, the others are done; no 500', async () => {
  const taken = (await scim('POST', '/Users', { schemas: [USER], userName: 'bulk-taken' })).body;
  const r = await bulk([
    user('dup', 'bulk-taken'),
    { method: 'DELETE', path: '/Users/00000000-0000-7000-8000-000000000000' },
    { method: 'PATCH', path: `/Users/${taken.id}`, version: 'W/"stale"', data: patch({ op: 'replace', path: 'active', value: false }) },
    { method: 'GET', path: '/Users' },
    'not an operation',
    { method: 'POST', path: '/Users', data: { schemas: [USER], userName: 'no-bulk-id' } },
    { method: 'PUT', path: `/Users/${taken.id}` },
    { method: 'POST', path: '/Robots', bulkId: 'r', data: {} },
    { method: 'PATCH', path: '/Users', data: patch({ op: 'add', path: 'title', value: 'x' }) },
    { method: 'PATCH', path: `/Users/${taken.id}`, data: { Operations: 'nope' } },
    user('ok', 'bulk-fine'),
  ]);
  expect(r.status).toBe(200);
  const ops = r.body.Operations;
  expect(ops.map((o: any) => o.status)).toEqual(['409', '404', '412', '400', '400', '400', '400', '400', '400', '400', '201']);
  expect(ops[0].response).toEqual(scimError(409, 'uniqueness'));
  expect(ops[1].response).toEqual(scimError(404));
  expect(ops[2].response).toEqual(scimError(412));
  expect(ops[3].response).toEqual(scimError(400, 'invalidSyntax'));
  expect(ops[7].response).toEqual(scimError(400, 'invalidPath'));
  expect(ops[8].response).toEqual(scimError(400, 'invalidPath'));
  expect(ops[9].response.schemas).toEqual([ERROR]);
  expect((await scim('GET', `/Users/${taken.id}`)).body.active).toBe(true);
  const junk = [null, 5, [], { method: 5 }, { method: 'DELETE', path: '/Users/%E0%A4%A' }, { method: 'PATCH', path: '/Groups/x', data: [] },
    { method: 'PUT', path: `/Users/${taken.id}`, data: { userName: {} } }, { method: 'POST', path: '/Users', bulkId: 7, data: {} },
    { method: 'PATCH', path: '/Users/bulkId:', data: patch({ op: 'add', path: 'title', value: 'x' }) },
    { method: 'DELETE', path: `/Users/${taken.id}/../..` }, { method: 'POST', path: '/Groups', bulkId: 'j', data: { displayName: 7 } }];
  const statuses = (await bulk(junk)).body.Operations.map((o: any) => o.status);
  expect(statuses).toEqual(junk.map(() => expect.stringMatching(/^4\d\d$/)));
  expect((await scim('GET', '/Users?filter=userName eq "bulk-fine"')).body.totalResults).toBe(1);
});

test('failOnErrors stops after that many errors; what ran stays done, the rest is not reported', async () => {
  const r = await bulk([user('a', 'fail-a'), user('b', 'fail-a'), user('c', 'fail-c'), user('d', 'fail-c'), user('e', 'fail-e')], { failOnErrors: 2 });
  expect(r.body.Operations.map((o: any) => o.status)).toEqual(['201', '409', '201', '409']);
  expect((await scim('GET', '/Users?filter=userName eq "fail-e"')).body.totalResults).toBe(0);
  expectScimError(await bulk([user('a', 'x')], { failOnErrors: 0 }), 400, 'invalidValue');
});

test('bulkId cycles, a self-reference, unknown and failed references answer per operation', async () => {
  const groupOf = (bulkId: string, name: string, member: string) =>
    ({ method: 'POST', path: '/Groups', bulkId, data: { schemas: [GROUP], displayName: name, members: [{ value: `bulkId:${member}` }] } });
  const r = await bulk([
    groupOf('x', 'Cycle X', 'y'), groupOf('y', 'Cycle Y', 'x'), groupOf('self', 'Self', 'self'),
    { method: 'PATCH', path: '/Groups/bulkId:nowhere', data: patch({ op: 'replace', path: 'displayName', value: 'n' }) },
    user('bad', ''),
    { method: 'PATCH', path: '/Users/bulkId:bad', data: patch({ op: 'replace', path: 'displayName', value: 'n' }) },
    user('fine', 'cycle-fine'),
    { method: 'POST', path: '/Users', bulkId: 'nodata' },
    { method: 'DELETE', path: '/Users/bulkId:nodata' },
  ]);
  expect(r.status).toBe(200);
  const ops = r.body.Operations;
  expect(ops.map((o: any) => o.status)).toEqual(['409', '409', '409', '400', '400', '409', '201', '400', '409']);
  expect(ops[0].response).toEqual(scimError(409));
  expect(ops[3].response).toEqual(scimError(400, 'invalidValue'));
  expect((await scim('GET', '/Groups?filter=displayName sw "Cycle"')).body.totalResults).toBe(0);
});

test('the whole request: duplicate bulkIds and a wrong schema are 400, over maxOperations or maxPayloadSize 413 tooLarge', async () => {
  expectScimError(await bulk([user('same', 'same-1'), user('same', 'same-2')]), 400, 'invalidValue');
  expectScimError(await scim('POST', '/Bulk', { schemas: ['urn:nope'], Operations: [user('a', 'a')] }), 400, 'invalidValue');
  expectScimError(await scim('POST', '/Bulk', { schemas: [BULK], Operations: [] }), 400, 'invalidValue');
  const many = Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` }));
  expectScimError(await bulk(many), 413, 'tooLarge');
  const big = { schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'big', data: { userName: 'x'.repeat(1024 * 1024) } }] };
  expectScimError(await scim('POST', '/Bulk', big), 413, 'tooLarge');
  const malformed = await call(server.url, 'POST', '/scim/v2/acme-bulk/Bulk', {
    headers: { authorization: `Bearer ${acme.apiKey}` }, raw: '{"schemas": [', contentType: 'application/scim+json',
  });
  expectScimError(malformed, 400, 'invalidSyntax');
  expect((await scim('GET', '/Users?filter=userName sw "same-"')).body.totalResults).toBe(0);
});

test('credentials: none, unknown, another tenant, a key without scim:write', async () => {
  const body = { schemas: [BULK], Operations: [user('k', 'by-bulk-key')] };
  const send = (headers: Record<string, string>, tenant = 'acme-bulk') =>
    call(server.url, 'POST', `/scim/v2/${tenant}/Bulk`, { headers, json: body });
  expectScimError(await send({}), 401);
  expectScimError(await send({ authorization: 'Bearer idgk_nope' }), 401);
  const stranger = await server.createOrg('Stranger');
  expectScimError(await send({ authorization: `Bearer ${stranger.apiKey}` }), 404);
  const someone = (await scim('POST', '/Users', { schemas: [USER], userName: 'key-holder' })).body.id;
  const keyOf = async (scopes: string[]) => (await call(server.url, 'POST', '/api-keys', {
    headers: { 'X-API-Key': acme.apiKey }, json: { tenant_id: 'acme-bulk', user_id: someone, name: scopes.join(' '), scopes },
  })).body.api_key as string;
  expectScimError(await send({ authorization: `Bearer ${await keyOf(['scim:read'])}` }), 403);
  // A tenant's own key reaches only its tenant, also through a bulk operation's path.
  const writer = await keyOf(['scim:read', 'scim:write']);
  expectScimError(await send({ authorization: `Bearer ${writer}` }, 'acme-bulk-other'), 404);
  const ok = await send({ authorization: `Bearer ${writer}` });
  expect(ok.body.Operations[0].status).toBe('201');
  expect((await scim('GET', '/Users?filter=userName eq "by-bulk-key"')).body.totalResults).toBe(1);
});
