// The account takeovers found from outside, kept closed: an end user's key without scopes (or a
// person's access token) could mint tokens for other people, create roles, rotate other persons'
// passwords and create OAuth clients. Each is refused and changes nothing.
import { makeExecutableSchema } from '@graphql-tools/schema';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { applyAuthGate } from '../../src/graphql/auth-gate.ts';
import { loadTypeDefs } from '../../src/graphql/schema.ts';

let server: TestServer;
let acme: TestOrg;
let adaId: string;
let bobId: string;
let weakKey: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  const person = async (username: string) => (await call(server.url, 'POST', '/persons', {
    headers: slashidHeaders(acme), json: { handles: [{ type: 'username', value: username }] },
  })).body.result.person_id as string;
  adaId = await person('ada');
  bobId = await person('bob');
  weakKey = (await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, name: 'weak', scopes: [], user_id: adaId },
  })).body.api_key;
  await call(server.url, 'POST', '/clients', { headers: vaultHeaders(acme), json: {
    client_id: 'regress-app', name: 'App', tenant_id: acme.id, redirect_uris: ['https://app.example/cb'], allowed_scopes: ['openid'],
  } });
  token = (await call(server.url, 'POST', '/oauth2/tokens/mint', {
    headers: slashidHeaders(acme), json: { person_id: adaId, client_id: 'regress-app', scopes: ['openid'] },
  })).body.result.access_token;
});
afterAll(() => server.close());

const counts = async () => (await server.sql(`select
  (select count(*) from user_token)::int as user_tokens, (select count(*) from role)::int as roles,
  (select count(*) from credential)::int as credentials, (select count(*) from oauth_client)::int as clients,
  (select count(*) from audit_event)::int as audit_events`))[0];

const credentialsOf = { key: () => ({ 'X-API-Key': weakKey }), token: () => ({ authorization: `Bearer ${token}` }) };

describe.each(Object.keys(credentialsOf) as (keyof typeof credentialsOf)[])('as a person (%s) without administrative scopes', (kind) => {
  const gql = (query: string) => call(server.url, 'POST', '/graphql', { headers: credentialsOf[kind](), json: { query } });

  test.each([
    ['mintUserToken for another person', () => `mutation { mintUserToken(personId: "${bobId}") }`],
    ['mintUserToken for itself', () => `mutation { mintUserToken(personId: "${adaId}") }`],
    ['createRole', () => 'mutation { createRole(name: "owner") { name } }'],
    ['rotatePassword of another person', () => `mutation { rotatePassword(personId: "${bobId}") { newPassword } }`],
    ['setPasswordHash of another person', () => `mutation { setPasswordHash(personId: "${bobId}", passwordHash: "$2b$10$abcdefghijklmnopqrstuu5A0FY8kTdlMDMK1dAq3.tB6EXn3fQe") { created } }`],
    ['createOAuthClient', () => 'mutation { createOAuthClient(input: { clientId: "evil", name: "Evil", redirectUris: ["https://evil.example/cb"] }) { clientSecret } }'],
  ])('%s: FORBIDDEN, nothing changes', async (_, query) => {
    const before = await counts();
    const r = await gql(query());
    expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(r.body.data).toBeNull();
    expect(await counts()).toEqual(before);
  });

  test('POST /clients (vault) with an outside redirect URI: 403, no client', async () => {
    const before = await counts();
    const r = await call(server.url, 'POST', '/clients', { headers: credentialsOf[kind](), json: {
      client_id: 'evil-app', name: 'Evil', tenant_id: acme.id, redirect_uris: ['https://evil.example/cb'],
    } });
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/organization's API key/);
    expect(await counts()).toEqual(before);
    const listed = await call(server.url, 'GET', `/clients?tenant_id=${acme.id}`, { headers: vaultHeaders(acme) });
    expect(listed.body.clients.map((c: any) => c.client_id)).not.toContain('evil-app');
  });

  test('POST /token/validate refuses a person key (the SlashID face takes organization keys only)', async () => {
    const r = await call(server.url, 'POST', '/token/validate', { headers: { 'SlashID-API-Key': weakKey }, json: { token: 'x' } });
    expect(r.status).toBe(401);
  });
});

test('the organization key still may: the rules narrow users, not organizations', async () => {
  const r = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query: `mutation { mintUserToken(personId: "${bobId}") }` } });
  expect(typeof r.body.data.mintUserToken).toBe('string');
});

test('a root field without @auth stops the server from starting, naming the field', () => {
  const typeDefs = [...loadTypeDefs(), 'extend type Query { forgotten: Boolean }'];
  expect(() => applyAuthGate(makeExecutableSchema({ typeDefs }))).toThrow(/Query\.forgotten declares no @auth rule/);
});

test('a rule naming an unknown scope or a missing argument stops it too', () => {
  const unknownScope = [...loadTypeDefs(), 'extend type Query { odd: Boolean @auth(allow: [USER], scope: "everything") }'];
  expect(() => applyAuthGate(makeExecutableSchema({ typeDefs: unknownScope }))).toThrow(/unknown scope "everything"/);
  const badSelf = [...loadTypeDefs(), 'extend type Query { odd(id: ID): Boolean @auth(allow: [SELF], self: "personId") }'];
  expect(() => applyAuthGate(makeExecutableSchema({ typeDefs: badSelf }))).toThrow(/not an argument/);
});
