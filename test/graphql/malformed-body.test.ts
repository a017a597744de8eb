// /graphql answers a body it cannot read with 400 (413 past MAX_BODY_BYTES) and says why, never a
// 500: the JSON body parser's own errors carry a status but were not marked safe to show, so the
// error boundary took them for bugs. Found by test/fuzz/graphql-fuzz.test.ts.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 64 * 1024 });
  acme = await server.createOrg('Acme');
});
afterAll(() => server.close());

test.each([
  ['truncated JSON', '{', /not valid JSON/],
  ['a JSON string', '""', /not valid JSON: invalid JSON, only supports object and array/],
  ['null', 'null', /not valid JSON/],
  ['a prototype key', '{"__proto__":{"x":1},"query":"{ __typename }"}', /not valid JSON: .*prototype/],
])('%s answers 400 naming the problem', async (_, raw, message) => {
  const r = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), raw });
  expect(r.status).toBe(400);
  expect(r.body.errors[0]).toMatchObject({ message: expect.stringMatching(message) });
});

test('a body past MAX_BODY_BYTES still answers 413', async () => {
  const r = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query: `{ __typename }`, x: 'a'.repeat(70_000) } });
  expect(r.status).toBe(413);
  expect(r.body.errors[0].message).toMatch(/too large/i);
});

test('a valid body still runs', async () => {
  const r = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query: '{ __typename }' } });
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ data: { __typename: 'Query' } });
});
