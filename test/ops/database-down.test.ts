// PostgreSQL stops under load and comes back: meanwhile every face answers 503 with Retry-After in
// its own shape (never 500), and the same server process answers 200 again once it is back.
// A PostgreSQL of this test's own, since the shared one must stay up for the other test files.
import { jest } from '@jest/globals';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/log.ts';
import { freePort } from '../helpers/global-setup.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders, type Reply } from '../helpers/http.ts';

jest.setTimeout(120_000);
const log = createLogger('silent');
let dataDir: string;
let port: number;
let postgres: EmbeddedDatabase | undefined;
let server: TestServer | undefined;
let org: TestOrg;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-pgdown-'));
  await fs.chmod(dataDir, 0o755);
  port = await freePort();
  postgres = await startEmbeddedPostgres(dataDir, port, log);
  server = await startTestServer({ outboxPollMs: 0 }, { adminUrl: postgres.url });
  org = await server.createOrg('Steady');
});

afterAll(async () => {
  try {
    if (!postgres) postgres = await startEmbeddedPostgres(dataDir, port, log); // to drop the database
    await server?.close();
  } finally {
    await postgres?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});

const graphql = () => call(server!.url, 'POST', '/graphql', { headers: slashidHeaders(org), json: { query: '{ persons(first: 1) { totalCount } }' } });
/** One request per face, each as a client would send it. */
const probes: Record<string, () => Promise<Reply>> = {
  slashid: () => call(server!.url, 'GET', '/persons?limit=1', { headers: slashidHeaders(org) }),
  vault: () => call(server!.url, 'GET', '/tenants', { headers: vaultHeaders(org) }),
  graphql,
  oidc: () => call(server!.url, 'GET', `/realms/${org.id}/.well-known/openid-configuration`),
};

async function until(what: string, ok: () => Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('PostgreSQL down: 503 with Retry-After on every face; back up: 200 without a restart', async () => {
  for (const [face, probe] of Object.entries(probes)) expect({ face, status: (await probe()).status }).toEqual({ face, status: 200 });

  // Load while PostgreSQL stops: four clients in a loop, every status kept.
  const statuses: number[] = [];
  let loading = true;
  const load = Promise.all(Array.from({ length: 4 }, async (_, i) => {
    while (loading) statuses.push((await Object.values(probes)[i]()).status);
  }));
  await until('some requests ran', async () => statuses.length > 20);
  await postgres!.stop();
  postgres = undefined;

  const down = Object.fromEntries(await Promise.all(Object.entries(probes).map(async ([face, probe]) => [face, await probe()] as const)));
  for (const [face, r] of Object.entries(down)) {
    expect({ face, status: r.status, retryAfter: r.headers.get('retry-after') }).toEqual({ face, status: 503, retryAfter: '5' });
  }
  const message = 'The database is unavailable; retry in 5 seconds';
  expect(down.slashid.body).toEqual({ errors: [{ httpcode: 503, message }] });
  expect(down.vault.body).toEqual({ detail: message });
  expect(down.graphql.body.errors).toEqual([expect.objectContaining({ message, extensions: { code: 'SERVICE_UNAVAILABLE' } })]);
  // The OpenID provider's endpoints answer in the OAuth dialect (RFC 6749 §5.2 shape, no-store).
  expect(down.oidc.body).toEqual({ error: 'temporarily_unavailable', error_description: message });
  expect(down.oidc.headers.get('cache-control')).toBe('no-store');
  const whileDown = statuses.length;
  await until('more requests ran while down', async () => statuses.length > whileDown + 20);

  postgres = await startEmbeddedPostgres(dataDir, port, log);
  await until('the same server answers 200 again', async () => (await probes.slashid()).status === 200);
  loading = false;
  await load;
  for (const [face, probe] of Object.entries(probes)) expect({ face, status: (await probe()).status }).toEqual({ face, status: 200 });

  // Under load, a request saw 200 or 503: never a 500, never a hung connection.
  expect([...new Set(statuses)].sort()).toEqual([200, 503]);
});
