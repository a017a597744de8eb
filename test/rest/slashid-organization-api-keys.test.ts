// PUT /organizations/api-keys: the new key is answered once; the old one stops at once in the
// process that rotated it, and in a second server process on the same database as soon as that
// process reads the database's notification (milliseconds: its key cache is invalidated through
// PostgreSQL, docs/architecture.md); parallel rotations leave exactly one active key; no other
// organization's key is touched; the key never reaches a log line.
import { recordingLogger } from '../helpers/recording-logger.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { jest } from '@jest/globals';
import { settledStatus } from '../helpers/settled.ts';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

const { log, logged } = recordingLogger();

let server: TestServer;
let second: ServerProcess;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'info' }, { log });
  second = await startServerProcess(server.databaseUrl, server.config.masterKey!);
}, 30_000);
afterAll(async () => {
  await second?.stop();
  await server.close();
});

const rotate = (org: TestOrg, init: { raw?: string; url?: string } = {}) =>
  call(init.url ?? server.url, 'PUT', '/organizations/api-keys', { headers: slashidHeaders(org), ...(init.raw ? { raw: init.raw } : {}) });
const configStatus = async (url: string, org: TestOrg) => (await call(url, 'GET', '/organizations/config', { headers: slashidHeaders(org) })).status;
const activeKeys = async (org: TestOrg) =>
  Number((await server.sql<{ n: string }>('select count(*) as n from api_key where organization_id = $1 and revoked_at is null', [org.id]))[0].n);

test('the new key is answered once, works at once, and the old key stops in both processes', async () => {
  const acme = await server.createOrg('Rotating');
  expect(await configStatus(second.url, acme)).toBe(200); // the second process has seen the old key work

  const r = await rotate(acme);
  expect(r.status).toBe(200);
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(Object.keys(r.body.result)).toEqual(['api_key']);
  const rotated = { ...acme, apiKey: r.body.result.api_key as string };
  expect(rotated.apiKey).not.toBe(acme.apiKey);
  expect(rotated.apiKey.length).toBe(acme.apiKey.length); // the same generator as at creation

  // Announced to webhooks, naming the new key only by its id.
  const events = await server.sql(`select content from event_outbox where organization_id = $1 and event_name = 'ApiKeyRotated_v1'`, [acme.id]);
  expect(events).toHaveLength(1);
  expect(events[0].content).toMatchObject({ key_kind: 'organization', key_id: expect.any(String) });
  expect(JSON.stringify(events[0].content)).not.toContain(rotated.apiKey);

  // No wait in the rotating process; the other one as soon as it reads the notification.
  expect(await configStatus(server.url, acme)).toBe(401);
  expect((await call(server.url, 'GET', '/tenants', { headers: vaultHeaders(acme) })).status).toBe(401);
  expect(await configStatus(server.url, rotated)).toBe(200);
  expect(await settledStatus(() => configStatus(second.url, acme), 401)).toBe(401);
  expect(await configStatus(second.url, rotated)).toBe(200);
  expect((await call(second.url, 'GET', '/tenants', { headers: vaultHeaders(rotated) })).status).toBe(200);

  // Only the digest is stored, and the key was never logged.
  const stored = await server.sql<{ key_hash: string }>('select key_hash from api_key where organization_id = $1', [acme.id]);
  expect(stored.some((row) => row.key_hash.includes(rotated.apiKey))).toBe(false);
  expect(logged.some((line) => line.includes(rotated.apiKey) || line.includes(acme.apiKey))).toBe(false);
  expect(await activeKeys(acme)).toBe(1);
});

test('rotating through the second process is refused by the first as soon as it hears of it', async () => {
  const acme = await server.createOrg('Rotating elsewhere');
  expect(await configStatus(server.url, acme)).toBe(200);
  const r = await rotate(acme, { url: second.url });
  expect(r.status).toBe(200);
  expect(await settledStatus(() => configStatus(server.url, acme), 401)).toBe(401);
  expect(await configStatus(server.url, { ...acme, apiKey: r.body.result.api_key })).toBe(200);
});

test('parallel rotations with one key: one wins, the others are 401, one active key remains (the answered one)', async () => {
  const acme = await server.createOrg('Racing');
  const replies = await Promise.all(Array.from({ length: 6 }, () => rotate(acme)));
  const statuses = replies.map((r) => r.status).sort();
  expect(statuses).toEqual([200, 401, 401, 401, 401, 401]);
  for (const r of replies.filter((x) => x.status === 401)) expect(r.body.errors[0]).toMatchObject({ httpcode: 401 });
  const winner = replies.find((r) => r.status === 200)!.body.result.api_key as string;
  expect(await activeKeys(acme)).toBe(1);
  expect(await configStatus(server.url, { ...acme, apiKey: winner })).toBe(200);
});

test('refused callers change nothing: no, wrong, revoked, person and foreign credentials', async () => {
  const acme = await server.createOrg('Guarded');
  const other = await server.createOrg('Neighbour');
  const before = await server.sql('select id, key_hash, revoked_at from api_key where organization_id = $1 order by id', [acme.id]);
  const put = (headers: Record<string, string>) => call(server.url, 'PUT', '/organizations/api-keys', { headers });

  expect((await put({})).status).toBe(401);
  expect((await put({ 'SlashID-OrgID': acme.id })).status).toBe(401);
  expect((await put({ 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'not-the-key' })).status).toBe(401);
  expect((await put({ 'SlashID-OrgID': 'not-a-uuid', 'SlashID-API-Key': acme.apiKey })).status).toBe(401);
  // Another organization's key with this organization's id: the pair does not match.
  expect((await put({ 'SlashID-OrgID': acme.id, 'SlashID-API-Key': other.apiKey })).status).toBe(401);
  // A person's own key (the vault face's idgu_ keys) is no organization key.
  const person = await call(server.url, 'POST', '/persons', { headers: slashidHeaders(acme), json: { handles: [{ type: 'username', value: 'pat' }] } });
  const userKey = await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, name: 'all', scopes: ['tenants:write', 'api-keys:write'], user_id: person.body.result.person_id },
  });
  expect(userKey.status).toBe(201);
  expect((await put({ 'SlashID-OrgID': acme.id, 'SlashID-API-Key': userKey.body.api_key })).status).toBe(401);
  const graphql = await call(server.url, 'POST', '/graphql', {
    headers: { 'X-API-Key': userKey.body.api_key }, json: { query: 'mutation { rotateOrganizationApiKey }' },
  });
  expect([graphql.status, graphql.body.errors?.[0]?.extensions?.code]).toEqual([200, 'FORBIDDEN']);

  expect(await server.sql('select id, key_hash, revoked_at from api_key where organization_id = $1 order by id', [acme.id])).toEqual(before);
  expect(await configStatus(server.url, acme)).toBe(200);

  // The neighbour rotating its own key leaves this one alone.
  expect((await rotate(other)).status).toBe(200);
  expect(await configStatus(server.url, acme)).toBe(200);
});

test('a body is no input of this operation (as for every bodiless declaration): it is not read', async () => {
  const acme = await server.createOrg('With body');
  const r = await rotate(acme, { raw: '{"api_key": ' });
  expect(r.status).toBe(200);
  expect(await configStatus(server.url, { ...acme, apiKey: r.body.result.api_key })).toBe(200);
  expect(await activeKeys(acme)).toBe(1);
});

test('over /graphql an organization key rotates its own organization\'s key', async () => {
  const acme = await server.createOrg('Over GraphQL');
  const r = await call(server.url, 'POST', '/graphql', { headers: vaultHeaders(acme), json: { query: 'mutation { rotateOrganizationApiKey }' } });
  expect(r.status).toBe(200);
  const fresh = r.body.data.rotateOrganizationApiKey as string;
  expect(await configStatus(server.url, acme)).toBe(401);
  expect(await configStatus(second.url, { ...acme, apiKey: fresh })).toBe(200);
  const audit = await server.sql<{ operation: string }>('select operation from audit_event where organization_id = $1', [acme.id]);
  expect(audit.map((a) => a.operation)).toContain('rotateOrganizationApiKey');
  expect(JSON.stringify(await server.sql('select * from audit_event where organization_id = $1', [acme.id]))).not.toContain(fresh);
});
