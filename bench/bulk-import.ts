// Benchmark: POST /persons/bulk-import of a 10,000-row CSV (handles, region, a group, attributes)
// in one request on loopback. Prints rows/s and the server process's peak RSS while importing
// (sampled every 20 ms; the server runs in this process). Throw-away embedded PostgreSQL on a
// random port. Usage: npm run bench:import   (BENCH_ROWS to change the size)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openDatabase } from '../src/db/database.ts';
import { startServer } from '../src/server.ts';
import { createRootOrganization } from '../src/domain/organization/organization.service.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const HEADER = 'slashid:emails,slashid:phone_numbers,slashid:usernames,slashid:region,slashid:groups,slashid:attributes';

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-'));
await fs.chmod(scratch, 0o755);
const config = {
  ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'silent' as const, dataDir: scratch,
  embeddedPgPort: 55000 + Math.floor(Math.random() * 5000),
};
const log = createLogger('silent');
const db = await openDatabase(config, log);
const server = await startServer(config, log, db);
try {
  const { organization, apiKey } = await createRootOrganization(db.orm.em.fork(), 'Bench');
  const headers = { 'SlashID-OrgID': organization.id, 'SlashID-API-Key': apiKey };
  await fetch(`${server.url}/groups`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"name":"staff"}' });
  const rows = Array.from({ length: ROWS }, (_, i) =>
    `person${i}@example.com,+1555${String(i).padStart(7, '0')},user${i},europe-belgium,staff,"{""end_user_read_write"":{""i"":${i}}}"`);
  const csv = `${HEADER}\n${rows.join('\n')}\n`;
  const form = new FormData();
  form.append('persons', new Blob([csv], { type: 'text/csv' }), 'persons.csv');

  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const started = performance.now();
  const response = await fetch(`${server.url}/persons/bulk-import`, { method: 'POST', headers, body: form });
  const body = await response.json() as { result?: { successful_imports: number; failed_imports: number } };
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  console.log(`POST /persons/bulk-import  ${ROWS} rows (${(csv.length / 2 ** 20).toFixed(2)} MiB CSV)  status ${response.status}  ` +
    `imported ${body.result?.successful_imports} failed ${body.result?.failed_imports}`);
  console.log(`  ${seconds.toFixed(2)} s  ${Math.round(ROWS / seconds)} rows/s  rss before ${mib(rssBefore)}  peak ${mib(peak)} (+${mib(peak - rssBefore)}, includes the CSV built in this process)`);
} finally {
  await server.close();
  await db.close();
  await fs.rm(scratch, { recursive: true, force: true });
}
