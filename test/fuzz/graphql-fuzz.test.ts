// Property-based fuzzing of every root field of Query and Mutation in the schema /graphql serves
// (read by introspection, so fields added later join by themselves): documents with arguments of
// the right and wrong types, as variables or literals, missing or extra, variables nested 10,000
// deep, and broken transports. Properties: never a 5xx, never INTERNAL_SERVER_ERROR in `errors`,
// the body is JSON with `errors` when the status is 4xx, and the server logs no unexpected error.
// FUZZ_SEED=<n> replays a run; FUZZ_RUNS sets the runs per field (default 40).
import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery, type GraphQLObjectType } from 'graphql';
import { startTestServer } from '../helpers/server.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { closeAgent, send, type FuzzRequest, type RawReply } from './wire.ts';
import { graphqlRequestFor } from './graphql-requests.ts';
import { capturingLogger, describeLogged, FuzzStats } from './server-errors.ts';
import { FUZZ_SEED, seedOf } from './arbitraries.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

const log = capturingLogger();
const server = await startTestServer({ outboxPollMs: 0, trustProxyHops: 1 }, { log });
const stats = new FuzzStats();
const introspection = await send(server.url, {
  method: 'POST', path: '/graphql', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: getIntrospectionQuery() }),
});
const schema = buildClientSchema(JSON.parse(introspection.text).data);
const fields = (['Query', 'Mutation'] as const).flatMap((root) =>
  Object.values((schema.getType(root) as GraphQLObjectType).getFields()).map((field) => ({ root, field })));

let shared: Fixture | undefined;
let fixtures = 0;
const started = performance.now();

beforeAll(async () => {
  shared = await buildFixture(server, 'Fuzz shared');
  fixtures++;
}, 60_000);

afterAll(async () => {
  closeAgent();
  await server.close();
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  console.log(`graphql-fuzz: ${stats.requests} fuzz requests over ${fields.length} root fields (+ ${fixtures} fixtures), `
    + `FUZZ_SEED=${FUZZ_SEED}, FUZZ_RUNS=${RUNS}, ${seconds} s\n${JSON.stringify(stats.summary(), null, 1)}`);
});

function problemOf(reply: RawReply): string | undefined {
  if (reply.status >= 500) return `answered ${reply.status}`;
  let body: any;
  try { body = JSON.parse(reply.text); } catch { return reply.status === 405 ? undefined : `the body of a ${reply.status} is not JSON`; }
  if (body?.errors?.some((e: any) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR')) return 'INTERNAL_SERVER_ERROR in errors';
  if (reply.status >= 400 && !Array.isArray(body?.errors)) return `a ${reply.status} without errors`;
  return undefined;
}

async function fuzzOne(key: string, fixture: Fixture, request: FuzzRequest) {
  log.take();
  let reply: RawReply;
  try {
    reply = await send(server.url, request);
  } catch (error) {
    throw new Error(`No reply (${(error as Error).message}) to:\n${request.describe()}`);
  }
  const logged = log.take();
  const problem = problemOf(reply);
  const ok = reply.status === 200 && !problem && !JSON.parse(reply.text).errors;
  stats.count(ok ? 200 : `${reply.status}${reply.status === 200 ? ' with errors' : ''}`, key);
  if (problem || logged.length) {
    if (process.env.FUZZ_SURVEY === '1') {
      console.log(`SURVEY ${problem} ${key}\n${request.describe().slice(0, 1500)}\n→ ${reply.status} ${reply.text.slice(0, 300)}\n${describeLogged(logged)}`);
      return;
    }
    throw new Error(`${problem ?? 'the server logged an error'} (FUZZ_SEED=${FUZZ_SEED}, org ${fixture.org.name})\n`
      + `${request.describe()}\n→ ${reply.status} ${reply.text.slice(0, 600)}\n${describeLogged(logged)}`);
  }
}

describe.each(fields.map(({ root, field }) => [`${root}.${field.name}`, root, field] as const))('%s', (key, root, field) => {
  test('never a 5xx nor INTERNAL_SERVER_ERROR', async () => {
    // Queries share one fixture; each mutation gets an organization of its own.
    const fixture = root === 'Query' ? shared! : await buildFixture(server, `Fuzz ${key}`);
    if (fixture !== shared) fixtures++;
    const credentials = { orgId: fixture.org.id, orgKey: fixture.org.apiKey, userKey: fixture.userKey };
    await fc.assert(fc.asyncProperty(graphqlRequestFor(root, field, credentials, fixture.known), (request) => fuzzOne(key, fixture, request)),
      { numRuns: RUNS, seed: seedOf(key), endOnFailure: process.env.FUZZ_SHRINK !== '1' });
  }, 120_000);
});
