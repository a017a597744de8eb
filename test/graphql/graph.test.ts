import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

const gql = (org: TestOrg | undefined, query: string, variables?: Record<string, unknown>) =>
  call(server.url, 'POST', '/graphql', { headers: org ? slashidHeaders(org) : {}, json: { query, variables } });

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

test('mutations create persons; queries page through them with cursors', async () => {
  for (const name of ['ann', 'ben', 'cat']) {
    const r = await gql(acme, `mutation($h: [HandleInput!]!) { createPerson(input: { handles: $h }) { id username } }`,
      { h: [{ type: 'username', value: name }] });
    expect(r.body.data.createPerson.username).toBe(name);
  }
  const first = await gql(acme, `{ persons(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { username } } }`);
  expect(first.body.data.persons).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, nodes: [{ username: 'ann' }, { username: 'ben' }] });
  const next = await gql(acme, `query($after: String) { persons(first: 2, after: $after) { pageInfo { hasNextPage } nodes { username } } }`,
    { after: first.body.data.persons.pageInfo.endCursor });
  expect(next.body.data.persons).toEqual({ pageInfo: { hasNextPage: false }, nodes: [{ username: 'cat' }] });
});

test('nested reads: organization → persons → handles and back to the organization', async () => {
  const r = await gql(acme, `{ organization { name persons { nodes { handles { type value } organization { id } } } } }`);
  expect(r.body.data.organization.name).toBe('Acme');
  for (const p of r.body.data.organization.persons.nodes) expect(p.organization.id).toBe(acme.id);
});

test('errors carry a typed code; another organization\'s person is NOT_FOUND', async () => {
  const mine = await gql(acme, `{ persons(first: 1) { nodes { id } } }`);
  const id = mine.body.data.persons.nodes[0].id;
  const r = await gql(other, `query($id: ID!) { person(id: $id) { id } }`, { id });
  expect(r.body.errors[0].extensions.code).toBe('NOT_FOUND');
  const dup = await gql(acme, `mutation { createPerson(input: { handles: [{ type: username, value: "ann" }] }) { id } }`);
  expect(dup.body.errors[0].extensions.code).toBe('CONFLICT');
  const bad = await gql(acme, `mutation { createPerson(input: { handles: [{ type: email_address, value: "nope" }] }) { id } }`);
  expect(bad.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
  const cursor = await gql(acme, `{ persons(after: "garbage") { totalCount } }`);
  expect(cursor.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
});

test('tenants: created over GraphQL, seen over the vault face; others cannot select them', async () => {
  const made = await gql(acme, `mutation { createTenant(input: { tenantId: "gql-t", settings: { pinSize: 5 } }) { tenantId parent { id } tenantSettings { pinSize } } }`);
  expect(made.body.data.createTenant).toEqual({ tenantId: 'gql-t', parent: { id: acme.id }, tenantSettings: { pinSize: 5 } });
  const rest = await call(server.url, 'GET', '/tenants/gql-t', { headers: vaultHeaders(acme) });
  expect(rest.body.pin_size).toBe(5);
  const foreign = await gql(other, `{ organization(select: { tenantId: "gql-t" }) { id } }`);
  expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
  const person = await gql(other, `mutation { createPerson(org: { tenantId: "gql-t" }, input: { handles: [{ type: username, value: "x" }] }) { id } }`);
  expect(person.body.errors[0].extensions.code).toBe('NOT_FOUND');
});

test('the vault credentials work too; none answers 401 UNAUTHENTICATED', async () => {
  const viaKey = await call(server.url, 'POST', '/graphql', { headers: vaultHeaders(acme), json: { query: '{ organization { id } }' } });
  expect(viaKey.body.data.organization.id).toBe(acme.id);
  const none = await gql(undefined, '{ organization { id } }');
  expect(none.status).toBe(401);
  expect(none.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(JSON.stringify(none.body)).not.toMatch(/stacktrace/);
});

test('a body over the limit is refused', async () => {
  const r = await call(server.url, 'POST', '/graphql', {
    headers: slashidHeaders(acme), raw: JSON.stringify({ query: '{ organization { id } }', pad: 'x'.repeat(1_100_000) }),
  });
  expect(r.status).toBe(413);
});
