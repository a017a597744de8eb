// The audit log: every administrative change records who, what, when and from where, in the
// change's own transaction; refused and failed changes record nothing; no secret is ever kept.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let adaId: string;

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  adaId = (await call(server.url, 'POST', '/persons', {
    headers: slashidHeaders(acme), json: { handles: [{ type: 'username', value: 'ada' }] },
  })).body.result.person_id;
});
afterAll(() => server.close());

const events = (where = 'true', params: unknown[] = []) =>
  server.sql(`select * from audit_event where ${where} order by at, id`, params);

test('a REST change records the key, the operation, its targets, the client and the request id', async () => {
  const r = await call(server.url, 'POST', '/groups', { headers: { ...slashidHeaders(acme), 'User-Agent': 'audit-test/1' }, json: { name: 'auditors' } });
  expect(r.status).toBe(201);
  const [event] = await events(`operation = 'createGroup'`);
  const [key] = await server.sql(`select id from api_key where organization_id = $1`, [acme.id]);
  expect(event).toMatchObject({
    organization_id: acme.id, actor_kind: 'organization_key', actor_id: key.id, actor_person_id: null,
    targets: { name: 'auditors' }, ip: '127.0.0.1', user_agent: 'audit-test/1', request_id: r.headers.get('x-request-id'),
  });
});

test('a person key and an access token are recorded as such; secrets never are', async () => {
  const created = await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, name: 'k', scopes: ['api-keys:write'], user_id: adaId },
  });
  const userKey = created.body.api_key;
  const own = await call(server.url, 'POST', '/api-keys', { headers: { 'X-API-Key': userKey }, json: { tenant_id: acme.id, name: 'mine', scopes: [] } });
  expect(own.status).toBe(201);
  const [event] = await events(`actor_kind = 'user_api_key'`);
  expect(event).toMatchObject({ operation: 'createUserApiKey', actor_id: created.body.key_id, actor_person_id: adaId });
  await call(server.url, 'POST', '/clients', { headers: vaultHeaders(acme), json: {
    client_id: 'audit-app', name: 'App', tenant_id: acme.id, redirect_uris: ['https://app.example/cb'], allowed_scopes: ['openid', 'api-keys:write'],
  } });
  const minted = await call(server.url, 'POST', '/oauth2/tokens/mint', {
    headers: slashidHeaders(acme), json: { person_id: adaId, client_id: 'audit-app', scopes: ['openid', 'api-keys:write'] },
  });
  const viaToken = await call(server.url, 'POST', '/api-keys', {
    headers: { authorization: `Bearer ${minted.body.result.access_token}` }, json: { tenant_id: acme.id, name: 'by token', scopes: [] },
  });
  expect(viaToken.status).toBe(201);
  const [byToken] = await events(`actor_kind = 'access_token'`);
  expect(byToken).toMatchObject({ operation: 'createUserApiKey', actor_id: 'audit-app', actor_person_id: adaId });
  await call(server.url, 'PUT', `/persons/${adaId}/credentials/password`, { headers: slashidHeaders(acme), json: { password: 'correct horse battery staple' } });
  const everything = JSON.stringify(await events());
  for (const secret of [userKey, own.body.api_key, viaToken.body.api_key, minted.body.result.access_token, 'correct horse battery staple']) expect(everything).not.toContain(secret);
});

test('refused and failed changes record nothing, and the failed change left nothing either', async () => {
  const before = (await events()).length;
  const refused = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(other), json: { query: `mutation { deletePerson(id: "${adaId}") }` } });
  expect(refused.body.errors[0].extensions.code).toBe('NOT_FOUND');
  const failed = await call(server.url, 'POST', '/rbac/roles', { headers: slashidHeaders(acme), json: { name: 'ghost', permissions: ['no.such'] } });
  expect(failed.status).toBeGreaterThanOrEqual(400);
  expect(await server.sql(`select 1 from role where name = 'ghost'`)).toEqual([]);
  const noCredentials = await call(server.url, 'POST', '/groups', { json: { name: 'x' } });
  expect(noCredentials.status).toBe(401);
  expect((await events()).length).toBe(before);
});

test('GraphQL auditEvents: newest first, filtered and paged, for the organization only', async () => {
  for (const name of ['g1', 'g2', 'g3']) await call(server.url, 'POST', '/groups', { headers: slashidHeaders(acme), json: { name } });
  const query = `query($after: String) { auditEvents(filter: { operation: "createGroup" }, first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { operation targets actorKind organizationId at } } }`;
  const first = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query } });
  const page = first.body.data.auditEvents;
  expect(page.totalCount).toBe(4);
  expect(page.nodes.map((n: any) => n.targets.name)).toEqual(['g3', 'g2']);
  const second = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(acme), json: { query, variables: { after: page.pageInfo.endCursor } } });
  expect(second.body.data.auditEvents.nodes.map((n: any) => n.targets.name)).toEqual(['g1', 'auditors']);
  const foreign = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(other), json: { query } });
  expect(foreign.body.data.auditEvents.totalCount).toBe(0);
  const asUser = await call(server.url, 'POST', '/graphql', { headers: { 'X-API-Key': 'idgu_nope' }, json: { query } });
  expect(asUser.status).toBe(401);
});
