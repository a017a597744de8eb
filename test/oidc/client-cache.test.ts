// The OAuth client cache is invalidated through PostgreSQL: two real server processes on one
// database; a change made through either (or by plain SQL) is refused by the other at once.
import pg from 'pg';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { jest } from '@jest/globals';
import { settledStatus } from '../helpers/settled.ts';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

let server: TestServer;
let second: ServerProcess;
let acme: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  second = await startServerProcess(server.databaseUrl, server.config.masterKey!);
}, 30_000);
afterAll(async () => {
  await second?.stop();
  await server.close();
});

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const tokenStatus = async (url: string, clientId: string, secret: string) => (await fetch(`${url}/oauth2/tokens`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, secret) },
  body: 'grant_type=client_credentials&scope=read',
})).status;

async function newClient() {
  const r = await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: { client_name: 'Machine', scopes: ['read'], grant_types: ['client_credentials'] } });
  expect(r.status).toBe(201);
  return { id: r.body.result.client_id as string, secret: r.body.result.client_secret as string };
}

/** Both processes have the client cached (two successful uses each). */
async function warm(clientId: string, secret: string) {
  for (const url of [server.url, second.url, server.url, second.url]) expect(await tokenStatus(url, clientId, secret)).toBe(200);
}

test('a secret rotated through one process is refused by the other at once', async () => {
  const client = await newClient();
  await warm(client.id, client.secret);
  const rotated = await call(server.url, 'PUT', `/oauth2/clients/${client.id}/secret`, as(acme));
  expect(rotated.status).toBe(200);
  const fresh = rotated.body.result.client_secret;
  expect(await settledStatus(() => tokenStatus(second.url, client.id, client.secret), 401)).toBe(401);
  expect(await tokenStatus(second.url, client.id, fresh)).toBe(200);
  expect(await settledStatus(() => tokenStatus(server.url, client.id, client.secret), 401)).toBe(401);

  // And the other way round: rotated through the second process, refused by the first.
  await warm(client.id, fresh);
  const again = await call(second.url, 'PUT', `/oauth2/clients/${client.id}/secret`, as(acme));
  expect(again.status).toBe(200);
  expect(await settledStatus(() => tokenStatus(server.url, client.id, fresh), 401)).toBe(401);
  expect(await tokenStatus(server.url, client.id, again.body.result.client_secret)).toBe(200);
});

test('a client deleted through one process is refused by the other at once', async () => {
  const client = await newClient();
  await warm(client.id, client.secret);
  expect((await call(server.url, 'DELETE', `/oauth2/clients/${client.id}`, as(acme))).status).toBe(204);
  expect(await settledStatus(() => tokenStatus(second.url, client.id, client.secret), 401)).toBe(401);
  expect(await settledStatus(() => tokenStatus(server.url, client.id, client.secret), 401)).toBe(401);
});

/**
 * Runs SQL and returns once the database has announced the change to a listener of the test's own.
 * A plain SQL writer does not wait for the servers' listeners as the services do, so each server
 * refuses the client as soon as its own listener has read the notification: `refusedBeforeTtl`
 * allows that delivery (milliseconds) but stays well inside the 2 s the cache would otherwise keep
 * the entry (it was filled just before the change).
 */
async function refusedBeforeTtl(url: string, clientId: string, secret: string) {
  const until = Date.now() + 1000;
  let status = await tokenStatus(url, clientId, secret);
  while (status !== 401 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 10));
    status = await tokenStatus(url, clientId, secret);
  }
  return status;
}

async function sqlAnnounced(expected: string, text: string, params: unknown[]) {
  const listener = new pg.Client({ connectionString: server.databaseUrl });
  await listener.connect();
  try {
    await listener.query('listen idgraph_invalidate');
    const heard = new Promise<void>((resolve) => listener.on('notification', (m) => { if (m.payload === expected) resolve(); }));
    await server.sql(text, params);
    await heard;
  } finally {
    await listener.end();
  }
}

test('a change by plain SQL (any writer) is seen by both processes as soon as announced', async () => {
  const client = await newClient();
  await warm(client.id, client.secret);
  await sqlAnnounced(`oauth_client:${client.id}`, `update oauth_client set secret_hash = repeat('0', 64) where client_id = $1`, [client.id]);
  expect(await refusedBeforeTtl(second.url, client.id, client.secret)).toBe(401);
  expect(await refusedBeforeTtl(server.url, client.id, client.secret)).toBe(401);
});

test('a client of a deleted organization is refused as soon as announced (the cascade announces it too)', async () => {
  const doomed = await server.createOrg('Doomed');
  const r = await call(server.url, 'POST', '/oauth2/clients', { ...as(doomed), json: { client_name: 'M', scopes: ['read'], grant_types: ['client_credentials'] } });
  const { client_id: id, client_secret: secret } = r.body.result;
  await warm(id, secret);
  await sqlAnnounced(`oauth_client:${id}`, `delete from organization where id = $1`, [doomed.id]);
  expect(await refusedBeforeTtl(second.url, id, secret)).toBe(401);
  expect(await refusedBeforeTtl(server.url, id, secret)).toBe(401);
});

test('using a client announces nothing; a change announces its client_id (the trigger once per row)', async () => {
  const client = await newClient();
  const listener = new pg.Client({ connectionString: server.databaseUrl });
  await listener.connect();
  const heard: string[] = [];
  listener.on('notification', (m) => heard.push(m.payload ?? ''));
  try {
    await listener.query('listen idgraph_invalidate');
    await warm(client.id, client.secret); // writes last_used_at
    await listener.query('select 1'); // a round trip: anything sent before it has arrived
    expect(heard).toEqual([]);
    await server.sql(`update oauth_client set last_used_at = now(), updated_at = now() where client_id = $1`, [client.id]);
    await listener.query('select 1');
    expect(heard).toEqual([]);
    await server.sql(`update oauth_client set name = 'Renamed' where client_id = $1`, [client.id]);
    await listener.query('select 1');
    expect(heard).toEqual([`oauth_client:${client.id}`]);
    // Through the API the service adds an announcement of its own (so it never waits for nothing).
    heard.length = 0;
    expect((await call(server.url, 'PUT', `/oauth2/clients/${client.id}/secret`, as(acme))).status).toBe(200);
    await listener.query('select 1');
    expect(new Set(heard)).toEqual(new Set([`oauth_client:${client.id}`]));
  } finally {
    await listener.end();
  }
});
