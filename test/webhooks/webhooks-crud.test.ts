// SlashID webhooks and triggers (rows 107–115): the rules of targets, timeouts and headers, tenant
// isolation, and a 4xx in the dialect's shape for every bad request.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer({ webhookPollMs: 0, webhookAllowHttpLoopback: false });
  org = await server.createOrg('Hooks');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

const post = (o: TestOrg, json: unknown) => call(server.url, 'POST', '/organizations/webhooks', { headers: slashidHeaders(o), json });
const expectError = (r: { status: number; body: any }, status: number) => {
  expect(r.status).toBe(status);
  expect(r.body.errors[0]).toEqual(expect.objectContaining({ httpcode: status, message: expect.any(String) }));
};

test('create, read, list, patch and delete a webhook; custom headers are sealed at rest', async () => {
  const created = await post(org, {
    name: 'events', description: 'all of them', target_url: 'https://hooks.example.com/slashid',
    custom_headers: { 'X-Secret': ['s3cr3t-value'] }, timeout: '1500ms',
  });
  expect(created.status).toBe(201);
  const hook = created.body.result;
  expect(hook).toEqual({
    id: expect.stringMatching(/^06/), name: 'events', description: 'all of them', target_url: 'https://hooks.example.com/slashid',
    custom_headers: { 'X-Secret': ['s3cr3t-value'] }, timeout: '1.5s',
  });
  const [row] = await server.sql('select custom_headers_sealed from webhook where id = $1', [hook.id]);
  expect(row.custom_headers_sealed).toMatch(/^v1\./);
  expect(row.custom_headers_sealed).not.toContain('s3cr3t');

  const got = await call(server.url, 'GET', `/organizations/webhooks/${hook.id}`, { headers: slashidHeaders(org) });
  expect(got.body.result).toEqual(hook);
  const list = await call(server.url, 'GET', '/organizations/webhooks', { headers: slashidHeaders(org) });
  expect(list.body.result).toEqual([hook]);

  const patched = await call(server.url, 'PATCH', `/organizations/webhooks/${hook.id}`, {
    headers: slashidHeaders(org), json: { name: 'renamed', custom_headers: { 'X-Other': ['a', 'b'] }, timeout: '0s' },
  });
  expect(patched.status).toBe(200);
  expect(patched.body.result).toEqual({ ...hook, name: 'renamed', custom_headers: { 'X-Other': ['a', 'b'] }, timeout: '0s' });

  const deleted = await call(server.url, 'DELETE', `/organizations/webhooks/${hook.id}`, { headers: slashidHeaders(org) });
  expect(deleted.status).toBe(204);
  expectError(await call(server.url, 'GET', `/organizations/webhooks/${hook.id}`, { headers: slashidHeaders(org) }), 404);
});

test.each([
  ['http://hooks.example.com/x', 'https'],
  ['https://127.0.0.1/x', 'IP address'],
  ['https://[::1]/x', 'IP address'],
  ['https://2130706433/x', 'IP address'],
  ['https://localhost/x', 'localhost'],
  ['https://api.localhost/x', 'localhost'],
  ['https://intranet/x', 'single-label'],
  ['https://hooks.example.com/x?a=1', 'query'],
  ['https://hooks.example.com/x#frag', 'fragment'],
  ['https://user:pw@hooks.example.com/x', 'credentials'],
  ['http://127.0.0.1:9/x', 'https'],
  ['not a url', 'absolute'],
])('target_url %s is refused (%s) and nothing is stored', async (url, hint) => {
  const r = await post(org, { name: 'x', target_url: url });
  expectError(r, 400);
  expect(r.body.errors[0].message).toContain(hint);
  expect(await server.sql('select 1 from webhook where target_url = $1', [url])).toHaveLength(0);
});

test.each([
  [{ name: 'x', target_url: 'https://t.example.com/a', timeout: '21s' }, '20s'],
  [{ name: 'x', target_url: 'https://t.example.com/a', timeout: '5 seconds' }, 'timeout'],
  [{ name: 'x', target_url: 'https://t.example.com/a', timeout: '-1s' }, 'timeout'],
  [{ name: 'x', target_url: 'https://t.example.com/a', custom_headers: { 'Bad Header': ['x'] } }, 'header'],
  [{ name: 'x', target_url: 'https://t.example.com/a', custom_headers: { Host: ['evil'] } }, 'Host'],
  [{ name: 'x', target_url: 'https://t.example.com/a', custom_headers: { 'X-A': ['line\r\nbreak'] } }, 'X-A'],
  [{ name: 'x', target_url: 'https://t.example.com/a', custom_headers: { 'X-A': 'not-a-list' } }, 'custom_headers'],
  [{ name: '   ', target_url: 'https://t.example.com/a' }, 'blank'],
  [{ target_url: 'https://t.example.com/a' }, 'name'],
  [{ name: 'x' }, 'target_url'],
])('bad body %j answers 400 naming what is wrong', async (body, hint) => {
  const r = await post(org, body);
  expectError(r, 400);
  expect(r.body.errors[0].message).toContain(hint);
});

test('a target URL is unique per organization, not across organizations', async () => {
  const target = 'https://unique.example.com/hook';
  expect((await post(org, { name: 'a', target_url: target })).status).toBe(201);
  expectError(await post(org, { name: 'b', target_url: target }), 409);
  expect((await post(other, { name: 'c', target_url: target })).status).toBe(201);
  const second = (await post(org, { name: 'd', target_url: 'https://unique2.example.com/hook' })).body.result;
  expectError(await call(server.url, 'PATCH', `/organizations/webhooks/${second.id}`,
    { headers: slashidHeaders(org), json: { target_url: target } }), 409);
  // Parallel creates of one URL: one wins.
  const racers = await Promise.all(Array.from({ length: 6 }, () => post(org, { name: 'r', target_url: 'https://race.example.com/h' })));
  expect(racers.filter((r) => r.status === 201)).toHaveLength(1);
  expect(racers.filter((r) => r.status === 409)).toHaveLength(5);
});

test('triggers: add, list, idempotent add, delete; bad names and types refused', async () => {
  const hook = (await post(org, { name: 't', target_url: 'https://triggers.example.com/h' })).body.result;
  const path = `/organizations/webhooks/${hook.id}/triggers`;
  const add = (json: unknown) => call(server.url, 'POST', path, { headers: slashidHeaders(org), json });
  expect((await add({ trigger_type: 'event', trigger_name: 'PersonCreated_v1' })).status).toBe(201);
  expect((await add({ trigger_type: 'event', trigger_name: 'PersonCreated_v1' })).status).toBe(201);
  expect((await add({ trigger_type: 'sync_hook', trigger_name: 'token_minted' })).status).toBe(201);
  expectError(await add({ trigger_type: 'sync_hook', trigger_name: 'PersonCreated_v1' }), 400);
  expectError(await add({ trigger_type: 'event', trigger_name: 'not an event' }), 400);
  expectError(await add({ trigger_type: 'webhook', trigger_name: 'PersonCreated_v1' }), 400);
  expectError(await add({ trigger_type: 'event' }), 400);
  const list = await call(server.url, 'GET', path, { headers: slashidHeaders(org) });
  expect(list.body.result).toEqual([
    { trigger_type: 'event', trigger_name: 'PersonCreated_v1' }, { trigger_type: 'sync_hook', trigger_name: 'token_minted' },
  ]);
  const del = (q: string) => call(server.url, 'DELETE', `${path}?${q}`, { headers: slashidHeaders(org) });
  expect((await del('trigger_type=event&trigger_name=PersonCreated_v1')).status).toBe(204);
  expectError(await del('trigger_type=event&trigger_name=PersonCreated_v1'), 404);
  expectError(await del('trigger_type=event'), 400);
  expectError(await del('trigger_type=bogus&trigger_name=x'), 400);
  // Deleting the webhook deletes its triggers.
  await call(server.url, 'DELETE', `/organizations/webhooks/${hook.id}`, { headers: slashidHeaders(org) });
  expect(await server.sql('select 1 from webhook_trigger where webhook_id = $1', [hook.id])).toHaveLength(0);
});

test('credentials: missing, wrong and foreign keys; unknown and malformed ids', async () => {
  const hook = (await post(org, { name: 'mine', target_url: 'https://mine.example.com/h' })).body.result;
  const paths: [string, string, unknown?][] = [
    ['GET', '/organizations/webhooks'], ['POST', '/organizations/webhooks', { name: 'x', target_url: 'https://x.example.com/' }],
    ['GET', `/organizations/webhooks/${hook.id}`], ['PATCH', `/organizations/webhooks/${hook.id}`, { name: 'y' }],
    ['DELETE', `/organizations/webhooks/${hook.id}`], ['GET', `/organizations/webhooks/${hook.id}/triggers`],
    ['POST', `/organizations/webhooks/${hook.id}/triggers`, { trigger_type: 'event', trigger_name: 'PersonCreated_v1' }],
    ['DELETE', `/organizations/webhooks/${hook.id}/triggers?trigger_type=event&trigger_name=PersonCreated_v1`],
    ['POST', '/test-events', [{ event_name: 'PersonCreated_v1' }]],
  ];
  for (const [method, path, json] of paths) {
    expectError(await call(server.url, method, path, { json }), 401);
    expectError(await call(server.url, method, path, { headers: { 'SlashID-OrgID': org.id, 'SlashID-API-Key': 'wrong' }, json }), 401);
  }
  // Another organization's key sees none of it.
  for (const [method, path, json] of paths.slice(2, 8)) {
    expectError(await call(server.url, method, path, { headers: slashidHeaders(other), json }), 404);
  }
  expectError(await call(server.url, 'GET', '/organizations/webhooks/not-a-uuid', { headers: slashidHeaders(org) }), 404);
  expectError(await call(server.url, 'GET', '/organizations/webhooks/0659dd31-7e38-7d1e-8704-e3b8b6966176', { headers: slashidHeaders(org) }), 404);
  expect((await call(server.url, 'GET', `/organizations/webhooks/${hook.id}`, { headers: slashidHeaders(org) })).body.result.name).toBe('mine');
});

test('POST /test-events: bad bodies answer 400', async () => {
  const send = (json: unknown) => call(server.url, 'POST', '/test-events', { headers: slashidHeaders(org), json });
  expectError(await send([]), 400);
  expectError(await send({ event_name: 'PersonCreated_v1' }), 400);
  expectError(await send([{ event_name: 'nope' }]), 400);
  expectError(await send([{ event_name: 'PersonCreated_v1', count: 0 }]), 400);
  expectError(await send([{ event_name: 'PersonCreated_v1', count: 51 }]), 400);
  const ok = await send([{ event_name: 'PersonCreated_v1', count: 2 }]);
  expect(ok.status).toBe(201);
  expect(ok.body.result).toHaveLength(2);
  expect(ok.body.result[0]).toEqual(expect.objectContaining({
    is_test_event: true, event_id: expect.any(String), event_name: 'PersonCreated_v1', organization_id: org.id, timestamp: expect.any(String),
  }));
  expect(ok.body.result[0].event_id).not.toBe(ok.body.result[1].event_id);
  const dup = await send([{ event_name: 'PersonDeleted_v1', count: 3, duplicates: true }]);
  expect(new Set(dup.body.result.map((e: { event_id: string }) => e.event_id)).size).toBe(1);
});

test('the verification JWKS is raw, public keys only, and rate-limited per organization', async () => {
  const r = await call(server.url, 'GET', '/organizations/webhooks/verification-jwks', { headers: { 'SlashID-OrgID': org.id } });
  expect(r.status).toBe(200);
  expect(r.body.result).toBeUndefined();
  expect(r.body.keys).toHaveLength(1);
  expect(r.body.keys[0]).toEqual({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', key_ops: ['verify'], kid: expect.any(String), x: expect.any(String), y: expect.any(String) });
  expectError(await call(server.url, 'GET', '/organizations/webhooks/verification-jwks'), 400);
  const limited = 'rate-' + org.id.slice(5);
  const answers = await Promise.all(Array.from({ length: 70 }, () =>
    call(server.url, 'GET', '/organizations/webhooks/verification-jwks', { headers: { 'SlashID-OrgID': limited } })));
  expect(answers.filter((a) => a.status === 200)).toHaveLength(60);
  const refused = answers.find((a) => a.status === 429)!;
  expect(refused.headers.get('retry-after')).toBeTruthy();
  expect(refused.body.errors[0].httpcode).toBe(429);
});
