// The whole bench in one run (npm run bench): idgraph side by side with its peers, load from wrk.
// - POST /oauth2/tokens client_credentials and introspection vs panva's oidc-provider (in memory),
//   both signing ES256 JWT access tokens (the peer's introspection gets its opaque token);
// - GET /persons?limit=100, the nested GraphQL persons(first:100) and GET /persons/{id} on an
//   organization of BENCH_PERSONS (10,000) persons;
// - the servers' RSS after the run.
// Servers and wrk are child processes on loopback; PostgreSQL is a throw-away embedded one
// started by this process (or DATABASE_URL). BENCH_ONLY=tokens,introspect,list,nested,byid picks
// targets (and `scale`, with BENCH_LARGE); BENCH_PROFILE=1 runs the idgraph server with --cpu-prof into bench/.prof/.
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
import { loadGenerator, wrk, type WrkResult, type WrkTarget } from './wrk.ts';
import { scaleOutRows } from './scale-out.ts';
import { firstVisitRows, scaleRows, type Org } from './scale-rows.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PERSONS = Number(process.env.BENCH_PERSONS ?? 10_000);
const ONLY = process.env.BENCH_ONLY?.split(',');
// BENCH_LARGE=1000000 adds a second organization of that size: the same pages measured on both.
const LARGE = Number(process.env.BENCH_LARGE ?? 0);
const PROFILE_DIR = path.join(root, 'bench', '.prof');
const children: ChildProcess[] = [];

// The same tree through PostGraphile 5 (bench/postgraphile-server.ts) over the same tables, and
// idgraph's query without totalCount to match it (every seeded person is regular: PostGraphile offers
// no condition on the unindexed person_type, so it lists all of the organization's persons).
const NESTED_NO_TOTAL = `query($first: Int!) { persons(first: $first) { nodes {
  id handles { type value } groups { name } roles { name permissions { name } } permissions { name } attributes } } }`;
const POSTGRAPHILE_NESTED = (organizationId: string) => `{ organizationByRowId(rowId: "${organizationId}") {
  peopleByOrganizationId(first: 100, orderBy: [CREATED_AT_ASC]) { nodes {
    rowId handlesByPersonId { nodes { type value } } groupMembersByPersonId { nodes { accessGroupByGroupId { name } } }
    personRolesByPersonId { nodes { roleByRoleId { name rolePermissionsByRoleId { nodes { permissionByPermissionId { name } } } } } }
    personPermissionsByPersonId { nodes { permissionByPermissionId { name } } } personAttributesByPersonId { nodes { bucket name value } } } } } }`;
const NESTED = `query($first: Int!) { persons(first: $first) { totalCount nodes {
  id handles { type value } groups { name } roles { name permissions { name } } permissions { name } attributes } } }`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// The servers run with the flags `npm start` gives node (package.json): a 16 MiB semi-space.
const SERVER_FLAGS = ['--max-semi-space-size=16', '--expose-gc'];

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...SERVER_FLAGS, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

async function waitFor(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if ((await fetch(url)).status < 500) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** Resident size now (VmRSS) or the most it ever was (VmHWM), in MiB. */
function rssMiB(child: ChildProcess, which: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(new RegExp(`${which}:\\s+(\\d+)`).exec(status)![1]) / 1024);
}

/** CPU time the process has used (user + system), in ms: per request, a figure a busy machine barely moves. */
function cpuMs(child: ChildProcess): number {
  const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime: clock ticks of 10 ms
}

/**
 * CPU time of every PostgreSQL process on this machine, in ms: the database's share of a request's
 * cost. A backend that ended (a pool closing an idle connection) keeps the time it was last seen
 * with, so the sum never goes back; sampled every 250 ms, it loses little.
 */
const postgresSeen = new Map<string, number>();
function postgresCpuMs(): number {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes(' (postgres) ')) continue;
      const fields = stat.split(') ')[1].split(' ');
      // The start time tells a reused pid from the backend that had it.
      postgresSeen.set(`${pid}:${fields[19]}`, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch { /* the process ended meanwhile */ }
  }
  let total = 0;
  for (const ms of postgresSeen.values()) total += ms;
  return total;
}
setInterval(postgresCpuMs, 250).unref();

const stopChild = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.once('exit', () => { clearTimeout(timer); resolve(); });
  child.kill('SIGTERM');
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const fmt = (r?: WrkResult) => (r ? `${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${r.errors ? `, ${r.errors} errors` : ''}` : '—');

/** A few requests first, so that a 4xx shows up at once and JIT warm-up is not all inside wrk's window. */
async function probe(name: string, target: WrkTarget) {
  for (let i = 0; i < 20; i++) {
    const response = await fetch(target.url, { method: target.method ?? 'GET', headers: target.headers, body: target.body });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${name}: status ${response.status} ${text.slice(0, 300)}`);
  }
}

// Each server gets the same few seconds of load before it is measured (BENCH_WARMUP, 3 s): the
// measurement then compares code the JIT has compiled, not the first seconds of either server.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 3);
const warmUp = async (target: WrkTarget) => { if (WARMUP_SECONDS > 0) await wrk(target, undefined, WARMUP_SECONDS); };

const scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-'));
await fsp.chmod(scratch, 0o755);
const masterKey = crypto.randomBytes(32).toString('hex');
const config = {
  ...loadConfig(), port: 0, host: '127.0.0.1', logLevel: 'silent' as const, dataDir: scratch,
  embeddedPgPort: await freePort(), masterKey,
};
const db = await openDatabase(config, createLogger('silent'));
const databaseUrl = db.orm.config.get('clientUrl') as string;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
try {
  const { organization, apiKey } = await createRootOrganization(db.orm.em.fork(), 'Bench');
  const t0 = performance.now();
  const ids = await seedPersons(async (text, params) => (await pool.query(text, params as unknown[])).rows, organization.id, PERSONS);
  console.log(`seeded ${PERSONS} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  let large: Org | undefined;
  if (LARGE) {
    const big = await createRootOrganization(db.orm.em.fork(), 'Bench large');
    const t1 = performance.now();
    await seedPersons(async (text, params) => (await pool.query(text, params as unknown[])).rows, big.organization.id, LARGE);
    console.log(`seeded ${LARGE} persons in a second organization in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    large = {
      size: LARGE, orgHeaders: { 'SlashID-OrgID': big.organization.id, 'SlashID-API-Key': big.apiKey },
      // An organization's tenant_id is its id unless chosen at POST /tenants.
      tenantId: big.organization.tenantId, vaultHeaders: { 'X-API-Key': big.apiKey },
    };
  }
  await pool.query('vacuum analyze');

  const idgraphPort = await freePort();
  if (process.env.BENCH_PROFILE) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  // BENCH_PROFILE=heap samples allocations (--heap-prof) instead of CPU time.
  const profileFlags = process.env.BENCH_PROFILE === 'heap' ? ['--heap-prof', `--heap-prof-dir=${PROFILE_DIR}`]
    : process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const idgraphChild = start([...profileFlags, 'src/main.ts'], {
    DATABASE_URL: databaseUrl, PORT: String(idgraphPort), HOST: '127.0.0.1', LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '0',
    IDGRAPH_MASTER_KEY: masterKey,
  });
  const idgraph = `http://127.0.0.1:${idgraphPort}`;
  await waitFor(`${idgraph}/healthz`);
  const orgHeaders = { 'SlashID-OrgID': organization.id, 'SlashID-API-Key': apiKey };
  const small: Org = { size: PERSONS, tenantId: organization.tenantId, orgHeaders, vaultHeaders: { 'X-API-Key': apiKey } };
  const created = await fetch(`${idgraph}/oauth2/clients`, {
    method: 'POST', headers: { ...orgHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'bench', scopes: ['read'], grant_types: ['client_credentials'], access_token_duration: 3600 }),
  });
  const { result: client } = await created.json() as { result: { client_id: string; client_secret: string } };

  const peerPort = await freePort();
  const peerChild = start(['bench/oidc-provider-server.ts', String(peerPort), client.client_id, client.client_secret], {});
  const peer = `http://127.0.0.1:${peerPort}`;
  await waitFor(`${peer}/.well-known/openid-configuration`);

  const wanted = (key: string) => !ONLY || ONLY.includes(key);
  let postgraphile: string | undefined;
  let postgraphileChild: ChildProcess | undefined;
  if (wanted('postgraphile')) {
    const port = await freePort();
    postgraphileChild = start(['bench/postgraphile-server.ts', String(port), databaseUrl], { GRAPHILE_ENV: 'production' });
    postgraphile = `http://127.0.0.1:${port}`;
    await waitFor(`${postgraphile}/graphql`);
  }

  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.client_id, client.client_secret) };
  const token = async (url: string, body: string) => {
    const json = (await (await fetch(url, { method: 'POST', headers: formHeaders, body })).json()) as { access_token?: string };
    if (!json.access_token) throw new Error(`${url}: no access token: ${JSON.stringify(json)}`);
    return json.access_token;
  };
  const ourTokenBody = form({ grant_type: 'client_credentials', scope: 'read' });
  const peerTokenBody = form({ grant_type: 'client_credentials', scope: 'read', resource: 'urn:bench' });
  const ours = await token(`${idgraph}/oauth2/tokens`, ourTokenBody);
  const peerOpaque = await token(`${peer}/token`, form({ grant_type: 'client_credentials', scope: 'read' }));
  if ((await token(`${peer}/token`, peerTokenBody)).split('.').length !== 3) throw new Error('the peer did not issue a JWT');

  const rows: { key: string; title: string; ours: WrkTarget; peerName?: string; theirs?: WrkTarget; peerProcess?: ChildProcess }[] = [
    {
      key: 'tokens', title: 'POST /oauth2/tokens client_credentials, ES256 JWT',
      ours: { url: `${idgraph}/oauth2/tokens`, method: 'POST', headers: formHeaders, body: ourTokenBody },
      peerName: 'oidc-provider (memory)', theirs: { url: `${peer}/token`, method: 'POST', headers: formHeaders, body: peerTokenBody }, peerProcess: peerChild,
    },
    {
      key: 'introspect', title: 'POST introspection (ours JWT; peer opaque)',
      ours: { url: `${idgraph}/oauth2/tokens/introspect`, method: 'POST', headers: formHeaders, body: form({ token: ours }) },
      peerName: 'oidc-provider (memory)', theirs: { url: `${peer}/token/introspection`, method: 'POST', headers: formHeaders, body: form({ token: peerOpaque }) }, peerProcess: peerChild,
    },
    { key: 'list', title: `GET /persons?limit=100 (${PERSONS} persons)`, ours: { url: `${idgraph}/persons?limit=100`, headers: orgHeaders } },
    {
      key: 'nested', title: `GraphQL nested persons(first:100) (${PERSONS} persons)`,
      ours: {
        url: `${idgraph}/graphql`, method: 'POST', headers: { ...orgHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ query: NESTED, variables: { first: 100 } }),
      },
    },
    ...(postgraphile ? [{
      key: 'postgraphile', title: `GraphQL nested persons(first:100) without totalCount (${PERSONS} persons)`,
      ours: { url: `${idgraph}/graphql`, method: 'POST' as const, headers: { ...orgHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ query: NESTED_NO_TOTAL, variables: { first: 100 } }) },
      peerName: 'PostGraphile 5 (Amber, same tables, no auth)',
      theirs: { url: `${postgraphile}/graphql`, method: 'POST' as const, headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: POSTGRAPHILE_NESTED(organization.id) }) },
      peerProcess: postgraphileChild,
    }] : []),
    { key: 'byid', title: 'GET /persons/{id}', ours: { url: `${idgraph}/persons/${ids[Math.floor(ids.length / 2)]}`, headers: orgHeaders } },
    ...(large ? scaleRows(idgraph, large, small) : []),
  ];

  const table: Record<string, string>[] = [];
  for (const row of rows.filter((r) => !ONLY || ONLY.includes(r.key))) {
    await probe(row.title, row.ours);
    await warmUp(row.ours);
    const cpuBefore = cpuMs(idgraphChild);
    const pgBefore = postgresCpuMs();
    const a = await wrk(row.ours);
    const cpuPerRequest = (cpuMs(idgraphChild) - cpuBefore) / a.requests;
    const pgPerRequest = (postgresCpuMs() - pgBefore) / a.requests;
    let b: WrkResult | undefined;
    let peerCpu = '';
    if (row.theirs) {
      await probe(`${row.peerName} ${row.title}`, row.theirs);
      await warmUp(row.theirs);
      const peerCpuBefore = row.peerProcess ? cpuMs(row.peerProcess) : 0;
      b = await wrk(row.theirs);
      if (row.peerProcess) peerCpu = `, server CPU ${((cpuMs(row.peerProcess) - peerCpuBefore) / b.requests).toFixed(2)} ms/req`;
    }
    table.push({ request: row.title, idgraph: `${fmt(a)}, server CPU ${cpuPerRequest.toFixed(2)} ms/req, PostgreSQL CPU ${pgPerRequest.toFixed(2)} ms/req`, peer: b ? `${row.peerName}: ${fmt(b)}${peerCpu}` : '—', ratio: b ? `${(a.rps / b.rps).toFixed(2)}×` : '' });
    console.error(`done: ${row.title}`);
  }
  if (large && (!ONLY || ONLY.includes('scale'))) table.push(...await firstVisitRows(idgraph, large, small));


  if (!ONLY || ONLY.includes('scaleout')) {
    // The second process is started as README says: the same DATABASE_URL and IDGRAPH_MASTER_KEY.
    const secondPort = await freePort();
    const second = start(['src/main.ts'], {
      DATABASE_URL: databaseUrl, PORT: String(secondPort), HOST: '127.0.0.1', LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '0', IDGRAPH_MASTER_KEY: masterKey,
    });
    const secondUrl = `http://127.0.0.1:${secondPort}`;
    await waitFor(`${secondUrl}/healthz`);
    const targets = [
      { name: 'POST /oauth2/tokens', on: (base: string): WrkTarget => ({ url: `${base}/oauth2/tokens`, method: 'POST', headers: formHeaders, body: ourTokenBody }) },
      { name: `GET /persons?limit=100 (${PERSONS} persons)`, on: (base: string): WrkTarget => ({ url: `${base}/persons?limit=100`, headers: orgHeaders }) },
    ];
    for (const target of targets) { await probe(target.name, target.on(idgraph)); await probe(target.name, target.on(secondUrl)); }
    table.push(...await scaleOutRows(idgraph, secondUrl, targets));
    table.push({ request: 'second process RSS after the run', idgraph: `${rssMiB(second)} MiB`, peer: '', ratio: '' });
  }
  const servers = (which: 'VmRSS' | 'VmHWM') => ({
    idgraph: `${rssMiB(idgraphChild, which)} MiB`,
    peer: `oidc-provider: ${rssMiB(peerChild, which)} MiB${postgraphileChild ? `; PostGraphile: ${rssMiB(postgraphileChild, which)} MiB` : ''}`, ratio: '',
  });
  table.push({ request: 'server RSS at its peak during the run', ...servers('VmHWM') });
  // The servers sit idle for a few seconds, as after any burst; idgraph gives its grown heap
  // back after IDLE_MEMORY_TRIM_MS (2 s) without a request (src/http/idle-memory.ts).
  await new Promise((r) => setTimeout(r, 5000));
  table.push({ request: 'server RSS after the run, 5 s idle', ...servers('VmRSS') });

  console.log(`\nload generator: ${loadGenerator} per target, on loopback; node ${process.version}, ${os.cpus().length} cores `
    + `shared by both servers, PostgreSQL and wrk; load average before the end ${os.loadavg()[0].toFixed(2)}`);
  console.log('ratio = idgraph req/s ÷ peer req/s (above 1 means idgraph is faster); for the scale rows, '
    + 'the large organization ÷ the small one (1 means the cost does not grow with the organization)\n');
  const widths = Object.keys(table[0]).map((k) => Math.max(k.length, ...table.map((r) => r[k].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(Object.keys(table[0])));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of table) console.log(line(Object.values(r)));
} finally {
  for (const child of children) await stopChild(child);
  await pool.end();
  await db.close();
  await fsp.rm(scratch, { recursive: true, force: true });
}
