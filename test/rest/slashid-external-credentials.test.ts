// SlashID external credentials: the secret material is sealed at rest (never in the database in
// clear, never in lists, logs or the audit log), read back whole by id; deletion by id or all;
// bad input, foreign ids and refused callers change nothing; the per-organization limit holds
// under parallel creation.
import { recordingLogger } from '../helpers/recording-logger.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

const { log, logged } = recordingLogger();

const PATH = '/organizations/config/external-credentials';
const SECRET = 'sk_live_very-secret-value-1234567890';
let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'info' }, { log });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const create = (org: TestOrg, json: unknown) => call(server.url, 'POST', PATH, { ...as(org), json });
const rows = async (org: TestOrg) => server.sql<{ id: string; sealed_content: string; label: string }>(
  'select id, sealed_content, label from external_credential where organization_id = $1 order by created_at, id', [org.id]);

test('create, list without content, read one with content, change label and content', async () => {
  const blob = { client_id: 'my-client', client_secret: SECRET, nested: { scopes: ['a', 'b'] } };
  const r = await create(acme, { extcred_provider: 'shopify', extcred_type: 'client_credentials', extcred_label: 'Shop', json_blob: blob });
  expect(r.status).toBe(201);
  expect(r.body.result).toEqual([expect.any(String)]);
  const [id] = r.body.result;

  const list = await call(server.url, 'GET', PATH, as(acme));
  expect(list.body.result).toEqual([{ external_cred_id: id, organization_id: acme.id, extcred_provider: 'shopify', extcred_type: 'client_credentials', extcred_label: 'Shop' }]);
  expect(list.text).not.toContain(SECRET);

  const one = await call(server.url, 'GET', `${PATH}/${id}`, as(acme));
  expect(one.status).toBe(200);
  expect(one.headers.get('cache-control')).toBe('no-store');
  expect(one.body.result).toEqual({ ...list.body.result[0], json_blob: blob });

  // Sealed at rest: not in clear, not under another row's id.
  const [stored] = await rows(acme);
  expect(stored.sealed_content.startsWith('v1.')).toBe(true);
  expect(stored.sealed_content).not.toContain(SECRET);
  expect(JSON.stringify(await server.sql('select * from audit_event'))).not.toContain(SECRET);

  expect((await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(acme), json: { extcred_label: 'Renamed' } })).status).toBe(204);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).body.result).toMatchObject({ extcred_label: 'Renamed', json_blob: blob });
  expect((await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(acme), json: { json_blob: { api_key: 'k2' } } })).status).toBe(204);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).body.result).toMatchObject({ extcred_label: 'Renamed', json_blob: { api_key: 'k2' } });
  expect((await rows(acme))[0].sealed_content).not.toBe(stored.sealed_content);

  // A label-less credential answers an empty label (the reference requires the field).
  const bare = await create(acme, { extcred_provider: 'generic', extcred_type: 'api_key', json_blob: { api_key: 'x' } });
  expect((await call(server.url, 'GET', `${PATH}/${bare.body.result[0]}`, as(acme))).body.result.extcred_label).toBe('');
  expect(logged.some((line) => line.includes(SECRET))).toBe(false);
});

test('bad input is a 400 and writes nothing', async () => {
  const before = (await rows(acme)).length;
  const ok = { extcred_provider: 'google', extcred_type: 'api_key', json_blob: { api_key: 'k' } };
  const cases: [string, unknown][] = [
    ['unknown provider', { ...ok, extcred_provider: 'aws' }], ['unknown type', { ...ok, extcred_type: 'password' }],
    ['no blob', { extcred_provider: 'google', extcred_type: 'api_key' }], ['blob an array', { ...ok, json_blob: ['k'] }],
    ['blob a string', { ...ok, json_blob: SECRET }], ['label a number', { ...ok, extcred_label: 5 }],
    ['long label', { ...ok, extcred_label: 'l'.repeat(256) }], ['no provider', { extcred_type: 'api_key', json_blob: {} }],
    ['big blob', { ...ok, json_blob: { pem: 'x'.repeat(17 * 1024) } }], ['nothing', {}],
  ];
  for (const [what, json] of cases) {
    const r = await create(acme, json);
    expect([what, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([what, 400, 400]);
    expect(r.text).not.toContain(SECRET);
  }
  expect((await call(server.url, 'POST', PATH, { ...as(acme), raw: `{"json_blob": {"k": "${SECRET}"` })).status).toBe(400);
  const id = (await rows(acme))[0].id;
  for (const json of [{ json_blob: 'x' }, { extcred_label: 'l'.repeat(256) }, { json_blob: { pem: 'x'.repeat(17 * 1024) } }]) {
    expect((await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(acme), json })).status).toBe(400);
  }
  expect((await rows(acme)).length).toBe(before);
});

test('another organization\'s ids: 404 to read or change, a no-op to delete; unknown ids likewise', async () => {
  const theirs = (await create(other, { extcred_provider: 'onfido', extcred_type: 'api_key', json_blob: { api_key: SECRET } })).body.result[0];
  for (const id of [theirs, crypto.randomUUID(), 'not-an-id']) {
    expect([id, (await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).status]).toEqual([id, 404]);
    expect([id, (await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(acme), json: { extcred_label: 'mine' } })).status]).toEqual([id, 404]);
    expect([id, (await call(server.url, 'DELETE', `${PATH}?credentialId=${id}`, as(acme))).status]).toEqual([id, 204]);
  }
  expect(await rows(other)).toEqual([expect.objectContaining({ id: theirs, label: '' })]);
  expect((await call(server.url, 'GET', `${PATH}/${theirs}`, as(other))).body.result.json_blob).toEqual({ api_key: SECRET });
});

test('refused callers: none, wrong, a person\'s key (SlashID), a person\'s key over /graphql', async () => {
  const before = (await rows(acme)).length;
  const json = { extcred_provider: 'google', extcred_type: 'api_key', json_blob: { api_key: 'k' } };
  expect((await call(server.url, 'POST', PATH, { json })).status).toBe(401);
  expect((await call(server.url, 'GET', PATH, { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'nope' } })).status).toBe(401);
  const pat = (await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'username', value: 'pat' }] } })).body.result.person_id;
  const userKey = (await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, name: 'all', scopes: ['tenants:read', 'tenants:write'], user_id: pat },
  })).body.api_key as string;
  expect((await call(server.url, 'POST', PATH, { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': userKey }, json })).status).toBe(401);
  const id = (await rows(acme))[0].id;
  const read = await call(server.url, 'POST', '/graphql', {
    headers: { 'X-API-Key': userKey }, json: { query: `{ organization { externalCredential(id: "${id}") { content } } }` },
  });
  expect(read.body.errors[0].extensions.code).toBe('FORBIDDEN');
  expect(read.text).not.toContain('api_key');
  expect((await rows(acme)).length).toBe(before);
});

test('delete: the id wins over deleteAll; deleteAll with an empty id deletes every one; with neither, a 400', async () => {
  const org = await server.createOrg('Deleter');
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await create(org, { extcred_provider: 'generic', extcred_type: 'json_credentials', json_blob: { i } })).body.result[0]);
  expect((await call(server.url, 'DELETE', `${PATH}?credentialId=${ids[0]}&deleteAll=true`, as(org))).status).toBe(204);
  expect((await rows(org)).map((r) => r.id)).toEqual(ids.slice(1));
  expect((await call(server.url, 'DELETE', PATH, as(org))).status).toBe(400);
  expect((await call(server.url, 'DELETE', `${PATH}?credentialId=`, as(org))).status).toBe(400);
  expect((await call(server.url, 'DELETE', `${PATH}?credentialId=&deleteAll=maybe`, as(org))).status).toBe(400);
  expect((await rows(org)).length).toBe(2);
  expect((await call(server.url, 'DELETE', `${PATH}?credentialId=&deleteAll=true`, as(org))).status).toBe(204);
  expect(await rows(org)).toEqual([]);
  expect((await rows(acme)).length).toBeGreaterThan(0); // another organization's stay
});

test('at most 100 per organization, also under parallel creation (402 past it)', async () => {
  const org = await server.createOrg('Hoarder');
  await server.sql(`insert into external_credential (id, organization_id, provider, type, label, sealed_content, created_at, updated_at)
    select gen_random_uuid(), $1, 'generic', 'api_key', '', 'v1.x.y.z', now(), now() from generate_series(1, 98)`, [org.id]);
  const replies = await Promise.all(Array.from({ length: 5 }, (_, i) =>
    create(org, { extcred_provider: 'generic', extcred_type: 'api_key', json_blob: { i } })));
  expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 402, 402, 402]);
  expect((await rows(org)).length).toBe(100);
});
