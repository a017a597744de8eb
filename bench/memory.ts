// Where the server's memory goes (npm run bench:memory): the server runs in this process (with
// --expose-gc), on BENCH_PERSONS persons; prints process.memoryUsage() and V8's heap spaces idle,
// after wrk drove the persons list and the nested GraphQL query, and after a full GC.
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openDatabase } from '../src/db/database.ts';
import { startServer } from '../src/server.ts';
import { createRootOrganization } from '../src/domain/organization/organization.service.ts';
import { seedPersons } from '../test/helpers/seed.ts';
import { wrk } from './wrk.ts';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory does)');
const mib = (n: number) => `${Math.round(n / 1048576)} MiB`;
function report(when: string) {
  const m = process.memoryUsage();
  const spaces = v8.getHeapSpaceStatistics().filter((s) => s.space_size > 4 * 1048576)
    .map((s) => `${s.space_name} ${mib(s.space_used_size)}/${mib(s.space_size)}`).join(', ');
  console.log(`${when}: rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}/${mib(m.heapTotal)}, external ${mib(m.external)}, `
    + `array buffers ${mib(m.arrayBuffers)} | ${spaces}`);
}

const scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'idgraph-memory-'));
await fsp.chmod(scratch, 0o755);
const config = { ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'silent' as const, dataDir: scratch,
  embeddedPgPort: 55000 + Math.floor(Math.random() * 1000), masterKey: crypto.randomBytes(32).toString('hex'), outboxPollMs: 0 };
const log = createLogger('silent');
const db = await openDatabase(config, log);
const pool = new pg.Pool({ connectionString: db.orm.config.get('clientUrl') as string, max: 2 });
try {
  const { organization, apiKey } = await createRootOrganization(db.orm.em.fork(), 'Memory');
  await seedPersons(async (text, params) => (await pool.query(text, params as unknown[])).rows, organization.id, PERSONS);
  await pool.query('vacuum analyze');
  gc(); report('database open and seeded, before the server starts');
  const server = await startServer(config, log, db);
  const headers = { 'SlashID-OrgID': organization.id, 'SlashID-API-Key': apiKey };
  gc(); report('idle, after a full GC');
  const list = await wrk({ url: `${server.url}/persons?limit=100`, headers });
  report(`after the persons list (${Math.round(list.rps)} req/s)`);
  const nested = await wrk({ url: `${server.url}/graphql`, method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ persons(first: 100) { totalCount nodes { id handles { type value } groups { name } roles { name permissions { name } } permissions { name } attributes } } }' }) });
  report(`after the nested query (${Math.round(nested.rps)} req/s)`);
  gc(); report('after a full GC');
  await new Promise((r) => setTimeout(r, 10_000));
  report('10 s later');
  const byMapping: Record<string, number> = {};
  for (const block of (await fsp.readFile('/proc/self/smaps', 'utf8')).split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const name = block.split('\n')[0].split(/\s+/).slice(5).join(' ') || '[anonymous]';
    byMapping[name] = (byMapping[name] ?? 0) + Number(/\nRss:\s+(\d+)/.exec(block)?.[1] ?? 0);
  }
  if (process.env.BENCH_MAPPINGS) {
    const bySize: Record<string, [number, number]> = {};
    for (const block of (await fsp.readFile('/proc/self/smaps', 'utf8')).split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
      if (block.split('\n')[0].split(/\s+/).slice(5).join(' ')) continue;
      const size = Number(/\nSize:\s+(\d+)/.exec(block)?.[1] ?? 0);
      const bucket = size >= 65536 ? '>=64M' : size >= 8192 ? '8-64M' : size >= 1024 ? '1-8M' : size >= 256 ? '256K-1M' : '<256K';
      const [n, rss] = bySize[bucket] ?? [0, 0];
      bySize[bucket] = [n + 1, rss + Number(/\nRss:\s+(\d+)/.exec(block)?.[1] ?? 0)];
    }
    console.log('anonymous mappings by size:', Object.entries(bySize).map(([b, [n, rss]]) => `${b}: ${n} maps, ${Math.round(rss / 1024)} MiB`).join('; '));
  }
  const top = Object.entries(byMapping).sort((a, b) => b[1] - a[1]).slice(0, 6)
    .map(([name, kb]) => `${name} ${Math.round(kb / 1024)} MiB`).join(', ');
  const lazyFree = Number(/LazyFree:\s+(\d+)/.exec(await fsp.readFile('/proc/self/smaps_rollup', 'utf8'))?.[1] ?? 0);
  console.log(`rss by mapping: ${top}; of the rss, ${Math.round(lazyFree / 1024)} MiB freed lazily (MADV_FREE, the kernel takes it back under pressure)`);
  await server.close();
} finally {
  await pool.end();
  await db.close().catch(() => {});
  await fsp.rm(scratch, { recursive: true, force: true });
}
