// A person's locale holds at most 35 characters (its column's size) on every face: past it, the
// domain refuses it as a validation error; /graphql let up to 255 through to a varchar(35) and
// answered INTERNAL_SERVER_ERROR. Found by test/fuzz/graphql-fuzz.test.ts.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let personId: string;
beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  const r = await call(server.url, 'POST', '/persons', { headers: slashidHeaders(acme), json: { handles: [{ type: 'username', value: 'ada' }] } });
  personId = r.body.result.person_id;
});
afterAll(() => server.close());

const graphql = (query: string, variables: Record<string, unknown>) =>
  call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query, variables } });
const UPDATE = 'mutation($id: ID!, $locale: String) { updatePerson(id: $id, input: { locale: $locale }) { locale } }';
const CREATE = 'mutation($locale: String) { createPerson(input: { handles: [{ type: username, value: "bob" }], locale: $locale }) { locale } }';

test.each([['updatePerson', UPDATE], ['createPerson', CREATE]])('%s: a locale of 36 characters is a validation error, 35 is stored', async (_, query) => {
  const tooLong = await graphql(query, { id: personId, locale: 'x'.repeat(36) });
  expect(tooLong.body.errors[0]).toMatchObject({ message: 'locale must be at most 35 characters', extensions: { code: 'VALIDATION_FAILED' } });
  const fits = await graphql(query, { id: personId, locale: 'x'.repeat(35) });
  expect(fits.body.errors).toBeUndefined();
  expect(Object.values(fits.body.data)[0]).toEqual({ locale: 'x'.repeat(35) });
});

test('the vault face documents and enforces the same limit', async () => {
  const doc = (await call(server.url, 'GET', '/openapi.json')).body;
  const schema = doc.paths['/tenants/{tenant_id}/users/{user_id}'].put.requestBody.content['application/json'].schema;
  expect(schema.properties.locale).toMatchObject({ maxLength: 35 });
  const r = await call(server.url, 'PUT', `/tenants/${acme.id}/users/${personId}`, {
    headers: vaultHeaders(acme), json: { user_id: personId, username: 'ada', email: 'ada@example.com', tenant_id: acme.id, locale: 'x'.repeat(36) },
  });
  expect(r.status).toBe(422);
});
