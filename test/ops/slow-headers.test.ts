// A client that opens a connection and never finishes its headers (slowloris) is answered 408 and
// disconnected after HEADERS_TIMEOUT_MS; one that trickles a body past REQUEST_TIMEOUT_MS too.
import net from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let org: TestOrg;

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0, headersTimeoutMs: 600, requestTimeoutMs: 1500 });
  org = await server.createOrg('Patient');
});
afterAll(() => server.close());

/** Opens a connection, writes `chunks` (one per `everyMs`), and reports what came back and when it closed. */
function hold(chunks: string[], everyMs: number): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let reply = '';
    const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1');
    const timers = chunks.map((chunk, i) => setTimeout(() => { if (!socket.destroyed) socket.write(chunk); }, i * everyMs));
    socket.on('data', (data) => { reply += data; });
    socket.on('close', () => { timers.forEach(clearTimeout); resolve({ reply, closedAfterMs: Date.now() - started }); });
    socket.on('error', () => {}); // a reset after the 408 is fine
    setTimeout(() => { socket.destroy(); reject(new Error('the server kept the connection open')); }, 10_000).unref();
  });
}

test('headers never finished: 408 and closed within the headers timeout (plus one check interval)', async () => {
  const slow = await hold(['GET /persons HTTP/1.1\r\n', 'Host: x\r\n', 'X-A: 1\r\n', 'X-B: 1\r\n', 'X-C: 1\r\n', 'X-D: 1\r\n', 'X-E: 1\r\n'], 200);
  expect(slow.reply).toMatch(/^HTTP\/1\.1 408 /);
  expect(slow.closedAfterMs).toBeGreaterThanOrEqual(550);
  expect(slow.closedAfterMs).toBeLessThan(1500);
});

test('a connection that sends nothing is closed too', async () => {
  const silent = await hold([], 0);
  expect(silent.closedAfterMs).toBeLessThan(1500);
});

test('a body trickled past the request timeout: 408 and closed', async () => {
  const head = `POST /groups HTTP/1.1\r\nHost: x\r\nSlashID-OrgID: ${org.id}\r\nSlashID-API-Key: ${org.apiKey}\r\n`
    + 'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n';
  const trickle = await hold([head, ...Array.from({ length: 20 }, () => ' ')], 150);
  expect(trickle.reply).toMatch(/^HTTP\/1\.1 408 /);
  expect(trickle.closedAfterMs).toBeLessThan(2800);
  expect(await server.sql('select count(*)::int n from access_group')).toEqual([{ n: 0 }]);
});

test('ordinary requests are unaffected, and the defaults are 10 s and 300 s', async () => {
  expect((await call(server.url, 'GET', '/persons', { headers: slashidHeaders(org) })).status).toBe(200);
  expect(loadConfig({})).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 300_000 });
  expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' })).toThrow(/REQUEST_TIMEOUT_MS \(1000\) must be 0 or at least HEADERS_TIMEOUT_MS/);
});
