// Senders in several real server processes share one database: a process killed (SIGKILL) between
// commit and delivery loses nothing — the next one delivers every event, and a receiver that
// dedupes on jti processes each once — and two live processes never deliver one event twice.
import type { JSONWebKeySet } from 'jose';
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';
import { jest } from '@jest/globals';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

let server: TestServer;
let org: TestOrg;
let receiver: Receiver;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  // The in-process server only holds the database: its sender is off, the spawned processes send.
  server = await startTestServer({ webhookPollMs: 0, webhookAllowHttpLoopback: true });
  org = await server.createOrg('Processes');
  receiver = await startReceiver({
    jwks: async () => (await fetch(`${server.url}/organizations/webhooks/verification-jwks`, { headers: { 'SlashID-OrgID': org.id } })).json() as Promise<JSONWebKeySet>,
    audience: org.id,
  });
});
afterAll(async () => {
  for (const p of processes) await p.stop();
  await receiver.close();
  await server.close();
}, 150_000);

beforeEach(() => { receiver.received.length = 0; });

const spawn = async (env: Record<string, string> = {}) => {
  const p = await startServerProcess(server.databaseUrl, server.config.masterKey!, {
    WEBHOOK_ALLOW_HTTP_LOOPBACK: '1', WEBHOOK_CA_FILE: receiver.caFile, WEBHOOK_POLL_MS: '200', WEBHOOK_RETRY_BASE_MS: '200', ...env,
  });
  processes.push(p);
  return p;
};

async function webhookFor(path: string, timeout: string) {
  const created = await call(server.url, 'POST', '/organizations/webhooks',
    { headers: slashidHeaders(org), json: { name: path, target_url: `${receiver.url}${path}`, timeout } });
  await call(server.url, 'POST', `/organizations/webhooks/${created.body.result.id}/triggers`,
    { headers: slashidHeaders(org), json: { trigger_type: 'event', trigger_name: 'PersonCreated_v1' } });
}

const fire = (url: string, count: number) =>
  call(url, 'POST', '/test-events', { headers: slashidHeaders(org), json: [{ event_name: 'PersonCreated_v1', count }] });

test('kill -9 between commit and delivery, then a restart: every event arrives, each processed once', async () => {
  await webhookFor('/crash', '1s');
  const first = await spawn();
  // The receiver holds the first process's attempts without answering, so they are in flight when it dies.
  let holding = true;
  const processed = new Set<string>();
  const answeredAfterRestart: string[] = [];
  receiver.respond = (r) => {
    if (holding) return { delayMs: 5000, status: 200 };
    answeredAfterRestart.push(r.claims.jti as string);
    processed.add(r.claims.jti as string); // dedupes on jti: a retry of a processed delivery changes nothing
    return { status: 200 };
  };
  const events = 20;
  expect((await fire(first.url, events)).status).toBe(201);
  await receiver.waitFor(() => receiver.received.length > 0, 5000); // committed and being delivered
  await first.kill();
  // Attempts the first process sent before it died may still be arriving; they are held too.
  await spawn();
  holding = false;
  // The dead process's leases end 1 s (timeout) + 5 s after its attempts began; then the new one takes over.
  await receiver.waitFor(() => processed.size === events, 20_000);
  await new Promise((r) => setTimeout(r, 500));
  const subs = new Set(receiver.received.map((r) => r.claims.trigger_content.event_metadata.event_id));
  expect(subs.size).toBe(events);
  expect(receiver.distinct('jti').size).toBe(events);
  // After the restart each delivery is sent once: the extra receipts are the first process's attempts
  // cut by the kill (never answered), sent again under the same jti.
  expect(answeredAfterRestart).toHaveLength(events);
  const inFlight = receiver.received.length - events;
  const rows = await server.sql(`select status, count(*)::int as n from webhook_delivery group by status`);
  expect(rows).toEqual([{ status: 'delivered', n: events }]);
  console.log(`kill -9: ${events} events, ${inFlight} in flight at the kill, ${receiver.received.length} receipts, ${receiver.distinct('jti').size} distinct jti`);
}, 150_000);

test('kill -9 after commit, before any attempt: the next process sends every event exactly once', async () => {
  await server.sql(`delete from webhook`);
  await webhookFor('/committed', '15s'); // long: a slow machine must not time an attempt out (that would be a retry)
  // No other sender may run meanwhile: the earlier test's processes would fan these events out.
  for (const p of processes.splice(0)) await p.stop();
  // A process whose sender is off: its events are committed and wait in the outbox when it dies.
  const writer = await spawn({ WEBHOOK_POLL_MS: '0' });
  receiver.respond = () => ({ status: 200 });
  const events = 15;
  expect((await fire(writer.url, events)).status).toBe(201);
  await writer.kill();
  expect(receiver.received).toHaveLength(0);
  expect(await server.sql(`select count(*)::int as n from event_outbox where fanned_out_at is null`)).toEqual([{ n: events }]);
  await spawn();
  await receiver.waitFor(() => receiver.received.length >= events, 20_000);
  await new Promise((r) => setTimeout(r, 1000));
  expect(receiver.received).toHaveLength(events);
  expect(receiver.distinct('jti').size).toBe(events);
}, 150_000);

test('two live processes on one database deliver each event exactly once', async () => {
  await server.sql(`delete from webhook`);
  await webhookFor('/pair', '15s'); // long: a slow machine must not time an attempt out (that would be a retry)
  const [a, b] = [processes.at(-1)!, await spawn()];
  receiver.respond = () => ({ status: 200, delayMs: 20 });
  const events = 40;
  await Promise.all([fire(a.url, events / 2), fire(b.url, events / 2)]);
  await receiver.waitFor(() => receiver.received.length >= events, 20_000);
  await new Promise((r) => setTimeout(r, 1500)); // anything sent twice would arrive by now
  expect(receiver.received).toHaveLength(events);
  expect(receiver.distinct('jti').size).toBe(events);
  const rows = await server.sql(`select status, attempts, count(*)::int as n from webhook_delivery group by status, attempts`);
  expect(rows).toEqual([{ status: 'delivered', attempts: 1, n: events }]);
}, 150_000);
