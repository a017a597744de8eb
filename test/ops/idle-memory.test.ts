// The server gives back the memory a burst of requests made it take (src/http/idle-memory.ts):
// a real `npm start`-like process on PostgreSQL, a burst of persons lists, then a quiet spell.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { jest } from '@jest/globals';
import pg from 'pg';
import { freePort } from '../helpers/global-setup.ts';
import { createTestDatabase } from '../helpers/server.ts';
import { seedPersons } from '../helpers/seed.ts';

jest.setTimeout(120_000);
const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let child: ChildProcess | undefined;
beforeAll(async () => { database = await createTestDatabase(); });
afterAll(async () => { child?.kill('SIGKILL'); await database.drop(); });

test('after a burst, a quiet spell gives the grown heap back', async () => {
  const env = { ...process.env, DATABASE_URL: database.url, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'debug',
    OUTBOX_POLL_MS: '0', IDLE_MEMORY_TRIM_MS: '500', IDGRAPH_MASTER_KEY: 'ab'.repeat(32) };
  const { stdout } = await run(process.execPath, ['src/cli/org-create.ts', '--name', 'Trim'], { cwd: root, env: { ...env, LOG_LEVEL: 'silent' } });
  const org = JSON.parse(stdout) as { organization_id: string; api_key: string };
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await seedPersons(async (text, params) => (await pool.query(text, params as unknown[])).rows, org.organization_id, 3000);
  await pool.end();

  child = spawn(process.execPath, ['--max-semi-space-size=16', '--expose-gc', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  const started = Date.now();
  while (!/"event":"listening"/.test(output)) {
    if (Date.now() - started > 60_000 || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const base = `http://127.0.0.1:${env.PORT}`;
  const headers = { 'SlashID-OrgID': org.organization_id, 'SlashID-API-Key': org.api_key };
  // 16 at a time, as the bench's load generator, for long enough that V8 grows its heap by more
  // than the server's threshold (64 MiB; ~150 MiB here).
  await Promise.all(Array.from({ length: 16 }, async (_, lane) => {
    for (let i = 0; i < 60; i++) {
      const reply = await fetch(`${base}/persons?limit=100&offset=${((lane * 60 + i) % 30) * 100}`, { headers });
      expect(reply.status).toBe(200);
      await reply.arrayBuffer();
    }
  }));
  const quiet = Date.now();
  while (!/"event":"memory_trimmed"/.test(output) && Date.now() - quiet < 10_000) await new Promise((r) => setTimeout(r, 100));
  const trimmed = JSON.parse(output.split('\n').find((line) => line.includes('"memory_trimmed"'))!);
  expect(trimmed.rssAfterMiB).toBeLessThan(trimmed.rssBeforeMiB);
  expect(rssMiB(child.pid!)).toBeLessThan(trimmed.rssBeforeMiB);
  // Still serving, and a quiet spell with nothing new to give back does not collect again.
  expect((await fetch(`${base}/persons?limit=1`, { headers })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 1500));
  expect(output.split('\n').filter((line) => line.includes('"memory_trimmed"'))).toHaveLength(1);
});
