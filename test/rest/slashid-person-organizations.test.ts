// GET /persons/{person_id}/organizations: the person's organization (with its suborganizations as
// managed_organizations), narrowed by a SCIM filter over the organization fields.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let ada: string;
let subId: string;

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const orgsOf = (person: string, org: TestOrg, filter?: string) =>
  call(server.url, 'GET', `/persons/${person}/organizations${filter === undefined ? '' : `?filter=${encodeURIComponent(filter)}`}`, as(org));

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'ada' }] } });
  ada = r.body.result.person_id;
  expect((await call(server.url, 'POST', '/tenants', { headers: vaultHeaders(acme), json: { tenant_id: 'acme-eu', display_name: 'Acme EU' } })).status).toBe(201);
  subId = (await server.sql('select id from organization where tenant_id = $1', ['acme-eu']))[0].id;
});
afterAll(() => server.close());

test("answers the person's organization with its managed organizations", async () => {
  const r = await orgsOf(ada, acme);
  expect(r.status).toBe(200);
  expect(r.body).toEqual({
    result: [{
      id: acme.id, org_name: 'Acme', tenant_name: 'Acme',
      managed_organizations: [{ id: subId, org_name: 'Acme EU', tenant_name: 'Acme', parent_id: acme.id }],
    }],
  });
});

test.each([
  ['org_name eq "acme"', 1],
  ['org_name co "cm" and tenant_name sw "Ac"', 1],
  [`id eq "${'00000000-0000-7000-8000-000000000000'}"`, 0],
  ['parent_id pr', 0],
  ['not (parent_id pr)', 1],
])('filter %s → %i organizations', async (filter, n) => {
  const r = await orgsOf(ada, acme, filter);
  expect(r.status).toBe(200);
  expect(r.body.result).toHaveLength(n);
});

test.each([
  ['an unknown attribute', 'handles eq "x"'],
  ['a syntax error', 'org_name eq'],
  ['a non-string value', 'org_name eq 5'],
])('answers 400 for %s', async (_, filter) => {
  const r = await orgsOf(ada, acme, filter);
  expect(r.status).toBe(400);
  expect(r.body.errors[0].message).toMatch(/filter/);
});

test('answers 404 for an unknown person and for a person of another organization', async () => {
  expect((await orgsOf('00000000-0000-7000-8000-000000000000', acme)).status).toBe(404);
  expect((await orgsOf('not-a-uuid', acme)).status).toBe(404);
  const r = await orgsOf(ada, other);
  expect(r.status).toBe(404);
  expect(JSON.stringify(r.body)).not.toMatch(/Acme/);
});

test('answers 401 without credentials or with a wrong key', async () => {
  expect((await call(server.url, 'GET', `/persons/${ada}/organizations`)).status).toBe(401);
  expect((await call(server.url, 'GET', `/persons/${ada}/organizations`, {
    headers: { ...slashidHeaders(acme), 'SlashID-API-Key': other.apiKey },
  })).status).toBe(401);
});
