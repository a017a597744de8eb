// Benchmark: GET /persons?limit=100 and the nested GraphQL query on an organization with 10,000
// persons, with autocannon on loopback. Prints requests/s, p50/p99 latency and SQL statements per
// request. Uses a throw-away embedded PostgreSQL on a random port (or DATABASE_URL); the load goes to
// a server process of its own, so the load generator does not share its CPU.
// Usage: npm run bench   (BENCH_PERSONS, BENCH_SECONDS, BENCH_CONNECTIONS to change the load)
import fs from 'node:fs/promises';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openDatabase } from '../src/db/database.ts';
import { startServer } from '../src/server.ts';
import { createRootOrganization } from '../src/domain/organization/organization.service.ts';
import { seedPersons } from '../test/helpers/seed.ts';
import { startServerProcess } from '../test/helpers/process.ts';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const NESTED = `query($first: Int!) { persons(first: $first) { totalCount nodes {
  id handles { type value } groups { name } roles { name permissions { name } } permissions { name } attributes } } }`;

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-'));
await fs.chmod(scratch, 0o755);
const config = {
  ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'silent' as const, dataDir: scratch,
  embeddedPgPort: 55000 + Math.floor(Math.random() * 5000),
  masterKey: crypto.randomBytes(32).toString('hex'),
};
const log = createLogger('silent');
const db = await openDatabase(config, log);
const server = await startServer(config, log, db);
const cleanups: (() => Promise<void>)[] = [];
const pool = new pg.Pool({ connectionString: db.orm.config.get('clientUrl'), max: 2 });
try {
  const { organization, apiKey } = await createRootOrganization(db.orm.em.fork(), 'Bench');
  const t0 = performance.now();
  await seedPersons(async (text, params) => (await pool.query(text, params as unknown[])).rows, organization.id, PERSONS);
  console.log(`seeded ${PERSONS} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const headers = { 'SlashID-OrgID': organization.id, 'SlashID-API-Key': apiKey, 'content-type': 'application/json' };

  let statements = 0;
  const logger = db.orm.config.getLogger();
  logger.logQuery = (c) => { statements++; if (process.env.BENCH_TRACE) console.log(c.took, String(c.query).slice(0, 120)); };
  // The load goes to a server in a process of its own, so autocannon does not share its CPU;
  // statements are counted on the in-process server above.
  const loadTarget = await startServerProcess(db.orm.config.get('clientUrl') as string, config.masterKey);
  cleanups.push(loadTarget.stop);
  const targets = [
    { name: 'GET /persons?limit=100', method: 'GET' as const, path: '/persons?limit=100' },
    { name: 'POST /graphql nested, first 100', method: 'POST' as const, path: '/graphql', body: JSON.stringify({ query: NESTED, variables: { first: 100 } }) },
  ];
  for (const target of targets) {
    let perRequest = 0;
    for (let i = 0; i < 2; i++) { // the second, warm request is the one counted
      statements = 0;
      const probe = await fetch(server.url + target.path, { method: target.method, headers, body: target.body });
      if (probe.status !== 200) throw new Error(`${target.name}: status ${probe.status} ${await probe.text()}`);
      await probe.arrayBuffer();
      perRequest = statements;
    }
    const result = await autocannon({
      url: loadTarget.url + target.path, method: target.method, headers, body: target.body,
      connections: CONNECTIONS, duration: SECONDS,
    });
    console.log(`${target.name}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, `
      + `p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, SQL statements/request ${perRequest}`);
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
  await pool.end();
  await server.close();
  await db.close();
  await fs.rm(scratch, { recursive: true, force: true });
}
