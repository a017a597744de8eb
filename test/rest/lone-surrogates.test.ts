// Strings holding a lone UTF-16 surrogate (JSON's "\ud800" without its pair) are refused with a
// 4xx on every face, and change nothing; PostgreSQL's jsonb refused them with a 500 before. A name
// that is valid but cut for the audit log in the middle of an emoji is stored, not a 500.
// Found by test/fuzz/openapi-fuzz.test.ts.
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let personId: string;
const sid = () => ({ headers: slashidHeaders(acme) });
const HEADER = 'slashid:emails,slashid:phone_numbers,slashid:usernames,slashid:region,slashid:groups,slashid:attributes';

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  const r = await call(server.url, 'POST', '/persons', { ...sid(), json: { handles: [{ type: 'username', value: 'ada' }] } });
  personId = r.body.result.person_id;
});
afterAll(() => server.close());

const attributeCount = async () => (await server.sql('select count(*)::int as n from person_attribute'))[0].n as number;

test.each([
  ['a value', '{"color":"\\ud800"}', 'body.color'],
  ['a low half alone, nested', '{"a":{"b":["x","y\\udc00z"]}}', 'body.a.b.1'],
  ['a member name', '{"\\udbffname":1}', 'body.\ufffdname: Key'],
])('SlashID: an attribute body with a lone surrogate in %s answers 400 naming where, and stores nothing', async (_, raw, where) => {
  const r = await call(server.url, 'PUT', `/persons/${personId}/attributes/end_user_read_write`, { ...sid(), raw });
  expect(r.status).toBe(400);
  expect(r.body.errors[0]).toMatchObject({ httpcode: 400, message: expect.stringContaining(`${where}: String should not contain an unpaired UTF-16 surrogate`) });
  expect(await attributeCount()).toBe(0);
});

test('a surrogate pair written as escapes is one character, and is stored', async () => {
  const r = await call(server.url, 'PUT', `/persons/${personId}/attributes/end_user_read_only`, { ...sid(), raw: '{"smile":"\\ud83d\\ude00"}' });
  expect(r.status).toBe(204);
  const read = await call(server.url, 'GET', `/persons/${personId}/attributes/end_user_read_only`, sid());
  expect(read.body.result).toEqual({ smile: '😀' });
});

test('Secrets Vault: a lone surrogate answers 422 with the FastAPI detail list', async () => {
  const r = await call(server.url, 'PUT', `/tenants/${acme.id}`, {
    headers: vaultHeaders(acme), raw: '{"display_name":"Acme","liveness_config":{"gesture_set":["\\ud800"]}}',
  });
  expect(r.status).toBe(422);
  expect(r.body.detail).toEqual([{ loc: ['body', 'liveness_config', 'gesture_set', 0], msg: expect.stringMatching(/unpaired UTF-16 surrogate/), type: 'string_unicode' }]);
});

test('/graphql: variables with a lone surrogate answer 400 VALIDATION_FAILED and run nothing', async () => {
  const r = await call(server.url, 'POST', '/graphql', {
    ...sid(),
    raw: JSON.stringify({ query: 'mutation($p: ID!, $a: JSON!) { writePersonAttributes(personId: $p, attributes: $a, bucket: "end_user_no_access", merge: true) { id } }' })
      .replace(/}$/, `,"variables":{"p":"${personId}","a":{"k":"\\udfff"}}}`),
  });
  expect(r.status).toBe(400);
  expect(r.body.errors[0]).toMatchObject({ message: expect.stringContaining('variables.a.k: String should not contain an unpaired UTF-16 surrogate'), extensions: { code: 'VALIDATION_FAILED' } });
  expect(await server.sql(`select 1 from person_attribute where bucket = 'end_user_no_access'`)).toEqual([]);
});

test('bulk import: a CSV row whose attributes JSON holds a lone surrogate fails with that reason', async () => {
  const form = new FormData();
  form.append('persons', new Blob([`${HEADER}\nzed@example.com,,,,,"{""end_user_read_write"":{""a"":""\\ud800""}}"\n`], { type: 'text/csv' }), 'p.csv');
  const response = await fetch(`${server.url}/persons/bulk-import`, { method: 'POST', headers: slashidHeaders(acme), body: form });
  const body = await response.json() as any;
  expect(response.status).toBe(200);
  expect(body.result).toMatchObject({ successful_imports: 0, failed_imports: 1 });
  const [failed] = parse(body.result.failed_csv, { columns: true }) as Record<string, string>[];
  expect(failed['slashid:failure_reason']).toMatch(/^slashid:attributes\.end_user_read_write\.a: String should not contain an unpaired UTF-16 surrogate/);
});

test('a valid name the audit log cuts inside an emoji is created, and its audit target ends in U+FFFD', async () => {
  const name = `a${'😀'.repeat(100)}`; // the audit keeps 128 UTF-16 units: the last emoji is cut in half
  const r = await call(server.url, 'POST', '/clients', { headers: vaultHeaders(acme), json: { client_id: 'emoji-app', name, tenant_id: acme.id } });
  expect(r.status).toBe(200);
  const [event] = await server.sql(`select targets from audit_event where operation = 'createOAuthClient' order by at desc limit 1`);
  expect(event.targets['input.name']).toBe(`a${'😀'.repeat(63)}\ufffd`);
});
