// Throughput of the client_credentials token endpoint and of introspection, idgraph (persisting
// to PostgreSQL) side by side with panva's oidc-provider (in-memory adapter), both signing ES256
// access tokens. Both servers run as child processes; autocannon drives them from this process
// over loopback, bounded in time. Usage: npm run bench:oidc [-- seconds connections]
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import crypto from 'node:crypto';
import autocannon from 'autocannon';

const seconds = Number(process.argv[2] ?? 8);
const connections = Number(process.argv[3] ?? 16);
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function run(title: string, url: string, headers: Record<string, string>, body: string) {
  const result = await autocannon({ url, method: 'POST', headers, body, connections, duration: seconds });
  const errors = result.non2xx + result.errors;
  return { title, 'req/s': Math.round(result.requests.average), p50_ms: result.latency.p50, p99_ms: result.latency.p99, errors };
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-bench-'));
await fs.chmod(dataDir, 0o755);
try {
  // idgraph: embedded PostgreSQL in a scratch data dir, an organization and a confidential client.
  const idgraphPort = await freePort();
  const env = {
    PORT: String(idgraphPort), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'silent',
    IDGRAPH_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
  };
  const org = await new Promise<{ organization_id: string; api_key: string }>((resolve, reject) => {
    const c = start(['src/cli/org-create.ts', '--name', 'Bench'], env);
    let out = '';
    c.stdout!.on('data', (d) => { out += d; });
    c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error('org:create failed'))));
  });
  start([...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/idgraph-prof'] : []), 'src/main.ts'], env);
  const idgraph = `http://127.0.0.1:${idgraphPort}`;
  await waitFor(`${idgraph}/healthz`);
  const created = await fetch(`${idgraph}/oauth2/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'SlashID-OrgID': org.organization_id, 'SlashID-API-Key': org.api_key },
    body: JSON.stringify({ client_name: 'bench', scopes: ['read'], grant_types: ['client_credentials'], access_token_duration: 3600 }),
  });
  const { result: client } = await created.json() as { result: { client_id: string; client_secret: string } };

  // oidc-provider with the same client.
  const refPort = await freePort();
  start(['bench/oidc-provider-server.ts', String(refPort), client.client_id, client.client_secret], {});
  const reference = `http://127.0.0.1:${refPort}`;
  await waitFor(`${reference}/.well-known/openid-configuration`);

  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.client_id, client.client_secret) };
  const token = async (url: string, body: string) => {
    const json = (await (await fetch(url, { method: 'POST', headers, body })).json()) as any;
    if (!json.access_token) console.error(url, json);
    return json.access_token as string;
  };
  const ours = await token(`${idgraph}/oauth2/tokens`, form({ grant_type: 'client_credentials', scope: 'read' }));
  const theirsOpaque = await token(`${reference}/token`, form({ grant_type: 'client_credentials', scope: 'read' }));
  const theirsJwt = await token(`${reference}/token`, form({ grant_type: 'client_credentials', scope: 'read', resource: 'urn:bench' }));
  if (!ours || !theirsOpaque || theirsJwt?.split('.').length !== 3) throw new Error('could not obtain tokens for the bench');

  const rows = [];
  rows.push(await run('idgraph POST /oauth2/tokens (client_credentials, ES256 JWT, PostgreSQL)', `${idgraph}/oauth2/tokens`, headers, form({ grant_type: 'client_credentials', scope: 'read' })));
  rows.push(await run('oidc-provider POST /token (client_credentials, ES256 JWT, memory)', `${reference}/token`, headers, form({ grant_type: 'client_credentials', scope: 'read', resource: 'urn:bench' })));
  rows.push(await run('idgraph POST /oauth2/tokens/introspect (PostgreSQL)', `${idgraph}/oauth2/tokens/introspect`, headers, form({ token: ours })));
  rows.push(await run('oidc-provider POST /token/introspection (opaque, memory)', `${reference}/token/introspection`, headers, form({ token: theirsOpaque })));
  console.log(`\n${seconds}s per run, ${connections} connections, loopback, ${os.cpus().length} cores (servers and load generator share them)`);
  console.table(rows);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  await fs.rm(dataDir, { recursive: true, force: true });
}
