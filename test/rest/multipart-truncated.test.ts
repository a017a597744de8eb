// A multipart body that ends mid-part answers 400, whichever part it ends in, and the server stays
// up: busboy fails every file stream still open, the ignored ones included. Found by
// test/fuzz/openapi-fuzz.test.ts: an ignored file part without an error listener turned the
// truncation into an uncaught exception, which ends the process.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { slashidHeaders } from '../helpers/http.ts';
import { jest } from '@jest/globals';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

let server: TestServer;
let separate: ServerProcess;
let acme: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  separate = await startServerProcess(server.databaseUrl, server.config.masterKey!);
}, 30_000);
afterAll(async () => {
  await separate?.stop();
  await server.close();
});

const boundary = 'truncatedboundary';
const part = (name: string, content: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\n${content}`;

async function post(url: string, body: string) {
  const response = await fetch(`${url}/persons/bulk-import`, {
    method: 'POST', body,
    headers: { ...slashidHeaders(acme), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  return { status: response.status, body: await response.json() as any };
}

test.each([
  ['in a file part the route ignores', part('file', 'slashid:emails\nada@example.com')],
  ['in a file part without a name', part('', 'slashid:emails\nada@example.com')],
  ['in the imported part, after an ignored one', `${part('other', 'x')}\r\n${part('persons', 'slashid:emails\nada@')}`],
])('a body truncated %s answers 400 and the process keeps serving', async (_, body) => {
  for (const url of [server.url, separate.url]) {
    const r = await post(url, body);
    expect([url, r.status]).toEqual([url, 400]);
    expect(r.body.errors[0]).toMatchObject({ httpcode: 400 });
  }
  const health = await fetch(`${separate.url}/healthz`);
  expect(health.status).toBe(200);
});
