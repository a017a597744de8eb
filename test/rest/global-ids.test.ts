// tenant_id and client_id are global addresses (/realms/{tenant_id}, /auth/*?tenant_id=,
// /oauth2/* by client_id alone), so they stay unique across organizations. A refusal of a taken
// id says only "taken": the same status and body whether the holder is the caller, another
// organization, or a concurrent request that won a race; nothing else about the holder shows.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

const createTenant = (org: TestOrg, tenantId: string) =>
  call(server.url, 'POST', '/tenants', { headers: vaultHeaders(org), json: { tenant_id: tenantId } });
const createClient = (org: TestOrg, clientId: string) => call(server.url, 'POST', '/clients', {
  headers: vaultHeaders(org), json: { tenant_id: org.id, client_id: clientId, name: 'app', redirect_uris: ['https://app.example/cb'] },
});
const count = async (table: string) => Number((await server.sql(`select count(*) n from ${table}`))[0].n);

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

test('a taken tenant_id: the same 409 whether the caller holds it or another organization does', async () => {
  expect((await createTenant(acme, 'shared-tenant')).status).toBe(201);
  const before = await count('organization');
  const own = await createTenant(acme, 'shared-tenant');
  const foreign = await createTenant(other, 'shared-tenant');
  expect(own.status).toBe(409);
  expect({ status: foreign.status, body: foreign.body }).toEqual({ status: own.status, body: own.body });
  expect(own.body).toEqual({ detail: 'A tenant with tenant_id "shared-tenant" already exists; choose another tenant_id' });
  // Over GraphQL too: one code, one message.
  const gql = (org: TestOrg) => call(server.url, 'POST', '/graphql', {
    headers: slashidHeaders(org), json: { query: 'mutation { createTenant(input: { tenantId: "shared-tenant" }) { id } }' },
  });
  const [mine, theirs] = [await gql(acme), await gql(other)];
  expect(theirs.body.errors[0]).toEqual(mine.body.errors[0]);
  expect(mine.body.errors[0].extensions.code).toBe('CONFLICT');
  expect(await count('organization')).toBe(before);
});

test('a taken client_id: the same 409 whether the caller holds it or another organization does', async () => {
  expect((await createClient(acme, 'shared-client')).status).toBe(200);
  const before = await count('oauth_client');
  const own = await createClient(acme, 'shared-client');
  const foreign = await createClient(other, 'shared-client');
  expect(own.status).toBe(409);
  expect({ status: foreign.status, body: foreign.body }).toEqual({ status: own.status, body: own.body });
  expect(await count('oauth_client')).toBe(before);
});

test('parallel creations of one new id from two organizations: one 201, the rest the same 409, never a 500', async () => {
  const tenants = await Promise.all(Array.from({ length: 8 }, (_, i) => createTenant(i % 2 ? acme : other, 'race-tenant')));
  expect(tenants.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  const refusals = tenants.filter((r) => r.status === 409).map((r) => r.body);
  expect(new Set(refusals.map((b) => JSON.stringify(b))).size).toBe(1);
  expect(Number((await server.sql(`select count(*) n from organization where tenant_id = 'race-tenant'`))[0].n)).toBe(1);

  const clients = await Promise.all(Array.from({ length: 8 }, (_, i) => createClient(i % 2 ? acme : other, 'race-client')));
  expect(clients.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
  expect(new Set(clients.filter((r) => r.status === 409).map((r) => JSON.stringify(r.body))).size).toBe(1);
});

test('otherwise another organization\'s tenant or client answers exactly as one that does not exist', async () => {
  const pairs: [string, string, string][] = [
    ['GET', '/tenants/shared-tenant', '/tenants/no-such-tenant'],
    ['GET', '/clients?tenant_id=shared-tenant', '/clients?tenant_id=no-such-tenant'],
    ['GET', '/api-keys?tenant_id=shared-tenant', '/api-keys?tenant_id=no-such-tenant'],
  ];
  for (const [method, existing, missing] of pairs) {
    const [a, b] = [await call(server.url, method, existing, { headers: vaultHeaders(other) }), await call(server.url, method, missing, { headers: vaultHeaders(other) })];
    expect({ status: a.status, body: JSON.stringify(a.body).replace('shared-tenant', 'X') })
      .toEqual({ status: b.status, body: JSON.stringify(b.body).replace('no-such-tenant', 'X') });
    expect(a.status).toBe(404);
  }
  const put = (clientId: string) => call(server.url, 'PUT', `/clients/${clientId}`, {
    headers: vaultHeaders(other), json: { tenant_id: other.id, client_id: clientId, name: 'mine now' },
  });
  const [taken, missing] = [await put('shared-client'), await put('no-such-client')];
  expect(taken.status).toBe(404);
  expect(JSON.stringify(taken.body).replace('shared-client', 'X')).toBe(JSON.stringify(missing.body).replace('no-such-client', 'X'));
});

test('that a tenant_id is in use is public anyway: its issuer answers without credentials', async () => {
  const r = await call(server.url, 'GET', '/realms/shared-tenant/.well-known/openid-configuration');
  expect(r.status).toBe(200);
  expect(r.body.issuer).toMatch(/\/realms\/shared-tenant$/);
  expect((await call(server.url, 'GET', '/realms/no-such-tenant/.well-known/openid-configuration')).status).toBe(404);
});
