import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let personId: string;
const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'ada' }] } });
  personId = r.body.result.person_id;
});
afterAll(() => server.close());

const handlesOf = async (org = acme) => (await call(server.url, 'GET', `/persons/${personId}/handles`, as(org)));

test('GET lists the handles in the envelope', async () => {
  const r = await handlesOf();
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ result: [{ type: 'username', value: 'ada' }] });
});

test('POST adds handles (a bare array) with 204; repeating one is harmless', async () => {
  const r = await call(server.url, 'POST', `/persons/${personId}/handles`, {
    ...as(acme), json: [{ type: 'email_address', value: 'ada@example.com' }, { type: 'phone_number', value: '+447700900123' }],
  });
  expect(r.status).toBe(204);
  expect(r.text).toBe('');
  const again = await call(server.url, 'POST', `/persons/${personId}/handles`, {
    ...as(acme), json: [{ type: 'email_address', value: 'Ada@Example.com' }],
  });
  expect(again.status).toBe(204);
  expect((await handlesOf()).body.result).toHaveLength(3);
});

test('POST refuses a handle another person holds with 409', async () => {
  await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'grace' }] } });
  const r = await call(server.url, 'POST', `/persons/${personId}/handles`, { ...as(acme), json: [{ type: 'username', value: 'grace' }] });
  expect(r.status).toBe(409);
  expect(r.body.errors[0].httpcode).toBe(409);
});

test.each([
  ['an object instead of an array', { type: 'username', value: 'x' }],
  ['an empty array', []],
  ['a wrong type', [{ type: 'username', value: 42 }]],
  ['a bad email', [{ type: 'email_address', value: 'nope' }]],
  ['an oversize value', [{ type: 'username', value: 'x'.repeat(500) }]],
])('POST answers 400 for %s and changes nothing', async (_, json) => {
  const r = await call(server.url, 'POST', `/persons/${personId}/handles`, { ...as(acme), json });
  expect(r.status).toBe(400);
  expect((await handlesOf()).body.result).toHaveLength(3);
});

test('POST answers 400 for malformed JSON', async () => {
  expect((await call(server.url, 'POST', `/persons/${personId}/handles`, { ...as(acme), raw: '[{' })).status).toBe(400);
});

test('another organization gets 404 on every handle route and changes nothing', async () => {
  expect((await handlesOf(other)).status).toBe(404);
  const add = await call(server.url, 'POST', `/persons/${personId}/handles`, { ...as(other), json: [{ type: 'username', value: 'evil' }] });
  expect(add.status).toBe(404);
  const del = await call(server.url, 'DELETE', `/persons/${personId}/handles/${encodeURIComponent('username:ada')}`, as(other));
  expect(del.status).toBe(404);
  expect((await handlesOf()).body.result).toHaveLength(3);
});

test('missing or wrong credentials get 401', async () => {
  expect((await call(server.url, 'GET', `/persons/${personId}/handles`)).status).toBe(401);
  const wrong = { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'x'.repeat(28) } };
  expect((await call(server.url, 'POST', `/persons/${personId}/handles`, { ...wrong, json: [] })).status).toBe(401);
  expect((await call(server.url, 'DELETE', `/persons/${personId}/handles/username:ada`, wrong)).status).toBe(401);
});

test('DELETE removes a URL-encoded type:value handle with 204', async () => {
  const r = await call(server.url, 'DELETE', `/persons/${personId}/handles/${encodeURIComponent('email_address:ada@example.com')}`, as(acme));
  expect(r.status).toBe(204);
  expect((await handlesOf()).body.result.map((h: any) => h.type)).toEqual(['username', 'phone_number']);
});

test('DELETE answers 404 for a handle the person lacks and 400 for a malformed one', async () => {
  expect((await call(server.url, 'DELETE', `/persons/${personId}/handles/username:nobody`, as(acme))).status).toBe(404);
  expect((await call(server.url, 'DELETE', `/persons/${personId}/handles/nocolon`, as(acme))).status).toBe(400);
  expect((await call(server.url, 'DELETE', `/persons/${personId}/handles/fax:123`, as(acme))).status).toBe(400);
  expect((await call(server.url, 'DELETE', `/persons/00000000-0000-0000-0000-000000000000/handles/username:ada`, as(acme))).status).toBe(404);
});
