// `npm start` and `npm run org:create` as a newcomer runs them: real processes, an embedded
// PostgreSQL in a fresh data dir, then DATABASE_URL.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/global-setup.ts';
import { createTestDatabase } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';

const run = promisify(execFile);
// Each test starts real server processes (embedded PostgreSQL, migrations, key load): slow on a busy machine.
jest.setTimeout(120_000);
const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-ops-'));
  await fs.chmod(dataDir, 0o755);
  env = { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()) };
});
afterAll(async () => {
  // Never leave a postgres behind, even when a test failed half-way.
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try { process.kill(Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]), 'SIGINT'); } catch { /* already gone */ }
  }
  await fs.rm(dataDir, { recursive: true, force: true });
});

interface Started { child: ChildProcess; output: () => string; url: string }
const running = new Set<ChildProcess>();
afterEach(() => { for (const child of running) child.kill('SIGKILL'); running.clear(); });

async function start(): Promise<Started> {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
    const check = () => {
      const match = /"event":"listening","url":"([^"]+)"/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${output}`)); });
  });
  return { child, output: () => output, url };
}

const stop = (s: Started, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<number | null>((resolve) => { s.child.once('exit', resolve); s.child.kill(signal); });

const orgCreate = async (name: string, extraEnv: NodeJS.ProcessEnv = {}) => {
  const { stdout } = await run(process.execPath, ['src/cli/org-create.ts', '--name', name], { cwd: root, env: { ...env, ...extraEnv } });
  return stdout;
};

test('start, create an organization while running, use it, stop, start again on the same data', async () => {
  const first = await start();
  expect(first.output()).toContain('"event":"no_organization"');

  const line = await orgCreate('Acme');
  expect(line.trim().split('\n')).toHaveLength(1);
  const org = JSON.parse(line);
  expect(org).toEqual({ organization_id: expect.any(String), api_key: expect.any(String), name: 'Acme' });

  const headers = { 'SlashID-OrgID': org.organization_id, 'SlashID-API-Key': org.api_key, 'X-Request-Id': 'trace-me-1' };
  const created = await call(first.url, 'POST', '/persons', { headers, json: { handles: [{ type: 'username', value: 'ada' }] } });
  expect(created.status).toBe(201);
  expect(created.headers.get('x-request-id')).toBe('trace-me-1');
  await call(first.url, 'GET', `/persons?handle=${encodeURIComponent('username:ada')}`, { headers });

  expect(await stop(first)).toBe(0);
  const log = first.output();
  expect(log).toContain('"request_id":"trace-me-1"');
  expect(log).not.toContain(org.api_key);
  expect(log).not.toContain('ada');
  expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

  const second = await start();
  expect(second.output()).not.toContain('no_organization');
  const list = await call(second.url, 'GET', '/persons', { headers });
  expect(list.body.result).toHaveLength(1);
  expect(await stop(second, 'SIGINT')).toBe(0);
});

test('a killed server leaves postgres behind; the next start reuses it; a stale postmaster.pid is cleared', async () => {
  const killed = await start();
  await stop(killed, 'SIGKILL');
  const reused = await start();
  expect(reused.output()).toContain('embedded_postgres_reused');
  expect(await stop(reused)).toBe(0);

  // Stop the orphan the way an operator would, then leave a pid file naming a dead process.
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
  await fs.writeFile(pidFile, '999999\n' + path.join(dataDir, 'pg') + '\n0\n5432\n');
  const fresh = await start();
  expect(fresh.output()).toContain('embedded_postgres_started');
  expect(await stop(fresh)).toBe(0);
});

test('org:create works against DATABASE_URL and refuses a missing name', async () => {
  const db = await createTestDatabase();
  try {
    const org = JSON.parse(await orgCreate('Beta', { DATABASE_URL: db.url }));
    expect(org.name).toBe('Beta');
    await expect(run(process.execPath, ['src/cli/org-create.ts'], { cwd: root, env })).rejects.toMatchObject({ code: 2 });
  } finally {
    await db.drop();
  }
});
