// The SCIM figures of issue 15 (npm run bench:scim): on a tenant of BENCH_SCIM_USERS (100,000) users,
// - GET /Users?filter=userName eq "…" under load (wrk when /usr/bin/wrk exists, as bench/all.ts;
//   else a loop of BENCH_CONNECTIONS concurrent fetches for BENCH_SECONDS);
// - PATCH /Groups/{id} adding 1,000 members to a group of 10,000 (median of BENCH_SCIM_PATCHES runs,
//   each followed by a PATCH removing them again, so every run starts from 10,000).
// The server is a child process on loopback; PostgreSQL a throw-away embedded one (or DATABASE_URL).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openDatabase } from '../src/db/database.ts';
import { createRootOrganization } from '../src/domain/organization/organization.service.ts';
import { seedPersons } from '../test/helpers/seed.ts';
import { CONNECTIONS, SECONDS, WRK, loadGenerator, wrk, type WrkResult } from './wrk.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USERS = Number(process.env.BENCH_SCIM_USERS ?? 100_000);
const GROUP_SIZE = 10_000;
const ADDED = 1_000;
const PATCHES = Number(process.env.BENCH_SCIM_PATCHES ?? 5);
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

async function waitFor(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if ((await fetch(url)).status < 500) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

const stopChild = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.once('exit', () => { clearTimeout(timer); resolve(); });
  child.kill('SIGTERM');
});

/** Without wrk: CONNECTIONS loops of sequential requests for SECONDS. */
async function fetchLoad(url: string, headers: Record<string, string>): Promise<WrkResult> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) errors++;
      latencies.push(performance.now() - t);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { requests: latencies.length, rps: latencies.length / ((performance.now() - started) / 1000), p50: at(0.5), p99: at(0.99), errors };
}

const scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-scim-'));
await fsp.chmod(scratch, 0o755);
const masterKey = crypto.randomBytes(32).toString('hex');
const config = { ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'silent' as const, dataDir: scratch, embeddedPgPort: await freePort(), masterKey };
const db = await openDatabase(config, createLogger('silent'));
const databaseUrl = db.orm.config.get('clientUrl') as string;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const sql = async (text: string, params?: unknown[]) => (await pool.query(text, params as unknown[])).rows;
let server: ChildProcess | undefined;
try {
  const { organization, apiKey } = await createRootOrganization(db.orm.em.fork(), 'Bench SCIM');
  const t0 = performance.now();
  // Every seeded person joins the group "everyone"; it keeps its first 10,000.
  const ids = await seedPersons(sql, organization.id, USERS);
  const [{ id: groupId }] = await sql(`select id from access_group where organization_id = $1 and name = 'everyone'`, [organization.id]);
  await sql('delete from group_member where group_id = $1 and not (person_id = any($2::uuid[]))', [groupId, ids.slice(0, GROUP_SIZE)]);
  await sql('vacuum analyze');
  console.log(`seeded ${USERS} users and a group of ${GROUP_SIZE} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const port = await freePort();
  server = spawn(process.execPath, ['src/main.ts'], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '0', IDGRAPH_MASTER_KEY: masterKey },
  });
  const base = `http://127.0.0.1:${port}/scim/v2/${organization.tenantId}`;
  await waitFor(`http://127.0.0.1:${port}/healthz`);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/scim+json' };

  const [{ value: userName }] = await sql(`select value from handle where person_id = $1 and type = 'username'`, [ids[Math.floor(USERS / 2)]]);
  const filterUrl = `${base}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
  for (let i = 0; i < 20; i++) {
    const r = await fetch(filterUrl, { headers });
    const body = await r.json() as { totalResults?: number };
    if (r.status !== 200 || body.totalResults !== 1) throw new Error(`filter: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  const useWrk = fs.existsSync(WRK);
  const load = useWrk ? await wrk({ url: filterUrl, headers }) : await fetchLoad(filterUrl, headers);

  const added = ids.slice(GROUP_SIZE, GROUP_SIZE + ADDED).map((value) => ({ value }));
  const patchGroup = async (op: string) => {
    const t = performance.now();
    const r = await fetch(`${base}/Groups/${groupId}`, {
      method: 'PATCH', headers, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op, path: 'members', value: added }] }),
    });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`PATCH ${op}: ${r.status}`);
    return performance.now() - t;
  };
  const adds: number[] = [];
  for (let i = 0; i < PATCHES; i++) {
    adds.push(await patchGroup('add'));
    await patchGroup('remove');
  }
  adds.sort((a, b) => a - b);

  console.log(`\nnode ${process.version}, ${os.cpus().length} cores shared by the server, PostgreSQL and the load generator; `
    + `load average at the end ${os.loadavg()[0].toFixed(2)}`);
  console.log(`GET /Users?filter=userName eq "…" (${USERS} users), ${useWrk ? loadGenerator : `${CONNECTIONS} concurrent fetch loops, ${SECONDS}s`}: `
    + `${Math.round(load.rps)} req/s, p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms${load.errors ? `, ${load.errors} errors` : ''}`);
  console.log(`PATCH /Groups/{id} adding ${ADDED} members to a group of ${GROUP_SIZE}: median ${adds[Math.floor(adds.length / 2)].toFixed(0)} ms `
    + `(min ${adds[0].toFixed(0)}, max ${adds.at(-1)!.toFixed(0)}; ${PATCHES} runs)`);
} finally {
  if (server) await stopChild(server);
  await pool.end();
  await db.close();
  await fsp.rm(scratch, { recursive: true, force: true });
}
