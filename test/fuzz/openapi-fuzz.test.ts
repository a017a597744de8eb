// Property-based fuzzing of every operation of the served /openapi.json (paths × methods, read over
// HTTP, so operations added later join by themselves), with valid credentials of the operation's
// face so requests reach validation and the domain. Properties: never a 5xx; a 4xx body is in the
// dialect's error shape (SlashID `{errors:[{httpcode, message}]}` with httpcode = status, vault
// `{detail: string | array}`); a 2xx JSON body parses.
// FUZZ_SEED=<n> replays a run (the seed is printed at the end and in a failure); FUZZ_RUNS sets
// the runs per operation (default 50).
import fc from 'fast-check';
import { startTestServer } from '../helpers/server.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { closeAgent, send, type FuzzRequest, type RawReply } from './wire.ts';
import { requestFor, type Operation } from './rest-requests.ts';
import { capturingLogger, describeLogged, FuzzStats } from './server-errors.ts';
import { FUZZ_SEED, seedOf } from './arbitraries.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
/**
 * Node's parser refuses a request head over 16 KiB (431, in the dialect's shape) and closes the
 * connection; a client still sending a much longer head gets a reset before it reads the 431.
 */
const NODE_HEAD_LIMIT = 16 * 1024;

const log = capturingLogger();
const server = await startTestServer({ outboxPollMs: 0, trustProxyHops: 1 }, { log });
const stats = new FuzzStats();
const document = JSON.parse((await send(server.url, { method: 'GET', path: '/openapi.json', headers: {} })).text);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function dialectOf(op: any): Operation['dialect'] {
  const errorSchema = Object.entries(op.responses).find(([status]) => status.startsWith('4'))?.[1] as any;
  return errorSchema?.content['application/json'].schema.properties.detail ? 'vault' : 'slashid';
}
// The OpenID provider's paths are listed too; their forms, redirects and HTML pages are not a REST
// dialect, and test/oidc/ attacks them (oauth-dialect.test.ts, protocol.test.ts).
const operations: Operation[] = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
  Object.entries(methods).filter(([m, op]) => HTTP_METHODS.includes(m) && !op.tags?.includes('OpenID Connect')).map(([method, op]) => ({
    path, method: method.toUpperCase(), op, dialect: dialectOf(op), security: op.security ?? document.security ?? [],
    pathMethods: Object.keys(methods).map((m) => m.toUpperCase()),
  })));

let shared: Fixture | undefined;
let csvHeader = 'email_address';
let fixtures = 0;
const started = performance.now();

beforeAll(async () => {
  shared = await buildFixture(server, 'Fuzz shared');
  fixtures++;
  const template = await send(server.url, { method: 'GET', path: '/persons/bulk-import', headers: { 'SlashID-OrgID': shared.org.id, 'SlashID-API-Key': shared.org.apiKey } });
  if (template.status === 200) csvHeader = template.text.split(/\r?\n/)[0];
}, 60_000);

afterAll(async () => {
  closeAgent();
  await server.close();
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  console.log(`openapi-fuzz: ${stats.requests} fuzz requests over ${operations.length} operations (+ ${fixtures} fixtures), `
    + `FUZZ_SEED=${FUZZ_SEED}, FUZZ_RUNS=${RUNS}, ${seconds} s\n${JSON.stringify(stats.summary(), null, 1)}`);
});

/** What is wrong with a reply, or undefined. */
function problemOf(o: Operation, request: FuzzRequest, reply: RawReply): string | undefined {
  const { status, text } = reply;
  if (status >= 500) return `answered ${status}`;
  if (request.method === 'HEAD' || status < 200) return undefined;
  const json = /json/i.test(String(reply.headers['content-type'] ?? ''));
  let body: any;
  if (text) {
    if (!json && status >= 400) return `a ${status} answered ${reply.headers['content-type']}, not JSON`;
    try { body = json ? JSON.parse(text) : text; } catch { return `the body of a ${status} is not JSON`; }
  }
  if (status === 204 && text) return 'a 204 has a body';
  if (status < 400 || (status === 405 && request.method === 'OPTIONS')) return undefined;
  if (o.dialect === 'slashid') {
    const first = body?.errors?.[0];
    if (!Array.isArray(body?.errors) || typeof first?.message !== 'string') return 'the 4xx body is not {errors:[{httpcode, message}]}';
    if (first.httpcode !== status) return `errors[0].httpcode is ${first.httpcode}, the status ${status}`;
  } else {
    const detail = body?.detail;
    if (typeof detail !== 'string' && !(Array.isArray(detail) && detail.every((d) => typeof d?.msg === 'string' && Array.isArray(d?.loc)))) {
      return 'the 4xx body is not {detail: string | [{loc, msg, type}]}';
    }
  }
  return undefined;
}

async function fuzzOne(o: Operation, fixture: Fixture, request: FuzzRequest) {
  log.take();
  let reply: RawReply;
  try {
    reply = await send(server.url, request);
  } catch (error) {
    const message = (error as Error).message;
    if (request.headBytes() > NODE_HEAD_LIMIT && /ECONNRESET|EPIPE|socket hang up/.test(message)) { stats.count('reset: head > 16 KiB'); return; }
    throw new Error(`No reply (${message}) to:\n${request.describe()}`);
  }
  const logged = log.take();
  stats.count(reply.status, `${o.method} ${o.path}`);
  const problem = problemOf(o, request, reply);
  if ((problem || logged.length) && process.env.FUZZ_SURVEY === '1') {
    console.log(`SURVEY ${problem} ${o.method} ${o.path}\n${request.describe().slice(0, 1500)}\n→ ${reply.status} ${reply.text.slice(0, 300)}\n${describeLogged(logged)}`);
    return;
  }
  if (problem || logged.length) {
    throw new Error(`${problem ?? 'the server logged an error'} (FUZZ_SEED=${FUZZ_SEED}, org ${fixture.org.name})\n`
      + `${request.describe()}\n→ ${reply.status} ${reply.text.slice(0, 600)}\n${describeLogged(logged)}`);
  }
}

describe.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s', (key, o) => {
  test('never a 5xx; errors in the dialect\'s shape; JSON that parses', async () => {
    // Reads share one fixture; anything that may change or delete gets an organization of its own.
    const fixture = o.method === 'GET' ? shared! : await buildFixture(server, `Fuzz ${key}`);
    if (fixture !== shared) fixtures++;
    const credentials = { orgId: fixture.org.id, orgKey: fixture.org.apiKey, userKey: fixture.userKey };
    const arbitrary = requestFor(o, credentials, fixture.known, { maxBodyBytes: server.config.maxBodyBytes, csvHeader });
    await fc.assert(fc.asyncProperty(arbitrary, (request) => fuzzOne(o, fixture, request)),
      { numRuns: RUNS, seed: seedOf(key), endOnFailure: process.env.FUZZ_SHRINK !== '1' });
  }, 120_000);
});
