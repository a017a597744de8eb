// What Node's HTTP parser refuses before the app (a head past 16 KiB, malformed HTTP) is answered in
// the wire shape of the path's face, as every other error is, and the connection closes. Node's
// own answer had no body. Found by test/fuzz/openapi-fuzz.test.ts.
import net from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

/** Sends raw bytes and reads until the server closes the connection. */
function raw(request: string): Promise<{ status: number; headers: string; body: any }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => { data += chunk.toString('latin1'); });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, body] = [data.slice(0, data.indexOf('\r\n\r\n')), data.slice(data.indexOf('\r\n\r\n') + 4)];
      resolve({ status: Number(head.split(' ')[1]), headers: head, body: body ? JSON.parse(body) : undefined });
    });
  });
}

test.each([
  ['/persons/', { errors: [{ httpcode: 431, message: expect.stringMatching(/16 KiB/) }] }],
  ['/tenants/', { detail: expect.stringMatching(/16 KiB/) }],
])('a request line past 16 KiB on %s answers 431 in that face\'s shape', async (prefix, body) => {
  const r = await raw(`GET ${prefix}${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  expect(r.status).toBe(431);
  expect(r.headers).toMatch(/Content-Type: application\/json/);
  expect(r.headers).toMatch(/Connection: close/);
  expect(r.body).toEqual(body);
});

test('headers past 16 KiB answer 431 too', async () => {
  const r = await raw(`GET /tenants HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
  expect([r.status, r.body]).toEqual([431, { detail: expect.any(String) }]);
});

test('malformed HTTP answers 400', async () => {
  const r = await raw('GET /persons HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n');
  expect([r.status, r.body]).toEqual([400, { errors: [{ httpcode: 400, message: 'The request is not valid HTTP/1.1' }] }]);
});

test('the server keeps serving', async () => {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

test('a HEAD request past 16 KiB gets the 431 head without a body (a body there breaks HTTP clients)', async () => {
  const r = await raw(`HEAD /scim/v2/x/Groups HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
  expect(r.status).toBe(431);
  expect(r.headers).toMatch(/Content-Length: \d+/);
  expect(r.body).toBeUndefined();
});
