// Organizations' API keys are cached a moment per process (ApiKeyCache) and invalidated through
// PostgreSQL: a burst of one organization's requests reads its keys once; a key revoked by plain
// SQL is refused as soon as the process hears the trigger's notification; a wrong key stays wrong.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { settledStatus } from '../helpers/settled.ts';

let server: TestServer;
let acme: TestOrg;
const statements: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0, webhookPollMs: 0 });
  acme = await server.createOrg('Cached');
  const logger = server.db.orm.config.getLogger();
  logger.logQuery = (context) => { statements.push(String(context.query)); };
});
afterAll(() => server.close());

const configStatus = async (org: TestOrg) => (await call(server.url, 'GET', '/organizations/config', { headers: slashidHeaders(org) })).status;
const keyReads = () => statements.filter((sql) => /from api_key/.test(sql)).length;

test('a burst of one organization\'s requests reads its keys once', async () => {
  statements.length = 0;
  for (let i = 0; i < 5; i++) expect(await configStatus(acme)).toBe(200);
  expect(keyReads()).toBe(1);
});

test('a cached organization still refuses a wrong key, and another organization\'s key', async () => {
  expect(await configStatus(acme)).toBe(200);
  const other = await server.createOrg('Other');
  // One character changed (a key ending in x would have stayed itself one time in 64).
  const wrong = `${acme.apiKey.slice(0, -1)}${acme.apiKey.endsWith('x') ? 'y' : 'x'}`;
  expect(await configStatus({ ...acme, apiKey: wrong })).toBe(401);
  expect(await configStatus({ ...acme, apiKey: other.apiKey })).toBe(401);
  expect(await configStatus(other)).toBe(200);
});

test('a key revoked by plain SQL is refused once the notification is heard', async () => {
  const org = await server.createOrg('Revoked by hand');
  expect(await configStatus(org)).toBe(200);
  await server.sql('update api_key set revoked_at = now() where organization_id = $1', [org.id]);
  expect(await settledStatus(() => configStatus(org), 401)).toBe(401);
});
