// DateTime arguments take RFC 3339 timestamps from year 1 to 9999 only, as literals and as
// variables: anything else is refused before execution, never an Invalid Date or a year PostgreSQL
// cannot hold reaching a query (an INTERNAL_SERVER_ERROR before). Found by test/fuzz/graphql-fuzz.test.ts.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
});
afterAll(() => server.close());

const QUERY = 'query($since: DateTime) { auditEvents(filter: { since: $since }) { totalCount } }';
const asLiteral = (value: string) => call(server.url, 'POST', '/graphql', {
  headers: slashidHeaders(acme), json: { query: `{ auditEvents(filter: { until: ${JSON.stringify(value)} }) { totalCount } }` },
});
const asVariable = (value: unknown) => call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query: QUERY, variables: { since: value } } });

test.each(['yesterday', '', '2026-13-45T99:00:00Z', '-100000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '2026-01-01', '1e12',
  '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00'])(
  '%j is refused with 400, as a literal and as a variable', async (value) => {
    for (const r of [await asLiteral(value), await asVariable(value)]) {
      expect(r.status).toBe(400);
      expect(r.body.errors[0].message).toMatch(/RFC 3339/);
      expect(r.body.errors.some((e: any) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')).toBe(false);
    }
  });

test('a number is refused as a variable', async () => {
  expect((await asVariable(1_700_000_000_000)).status).toBe(400);
});

test.each(['2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00Z', '2026-11-22T12:00:00+02:00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z'])(
  '%s is taken', async (value) => {
    for (const r of [await asLiteral(value), await asVariable(value)]) {
      expect([r.status, r.body.errors]).toEqual([200, undefined]);
    }
  });
