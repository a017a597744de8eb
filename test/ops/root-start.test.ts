// As root, the embedded PostgreSQL runs as the user "postgres". A checkout or DATA_DIR that user
// cannot enter (anything under /root, drwx------) must stop the start at once with what to do,
// never die of an unhandled EACCES (src/db/embedded-access.ts). Root only: skipped otherwise.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertPostgresCanReach, firstBlockedDirectory, postgresProgramsDir, StartRefused } from '../../src/db/embedded-access.ts';
import { freePort } from '../helpers/global-setup.ts';

const asRoot = process.getuid?.() === 0 ? test : test.skip;
const closedDirs: string[] = [];

/** A directory only root may enter, as /root is in most containers. */
function closedDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idgraph-closed-'));
  fs.chmodSync(dir, 0o700);
  closedDirs.push(dir);
  return dir;
}

afterAll(() => { for (const dir of closedDirs) fs.rmSync(dir, { recursive: true, force: true }); });

asRoot('npm start with DATA_DIR out of the postgres user\'s reach stops at once and says what to do', async () => {
  const dataDir = path.join(closedDir(), 'data');
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', EMBEDDED_PG_PORT: String(await freePort()), OUTBOX_POLL_MS: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(stderr).not.toMatch(/EACCES|Unhandled|    at /); // one log line, no crash and no stack
  const events = `${stdout}${stderr}`.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const refusal = events.find((e) => e.event === 'start_refused');
  expect(refusal.message).toContain(`cannot enter ${path.dirname(dataDir)} (mode 700`);
  expect(refusal.message).toMatch(/Set DATA_DIR to a directory under one every user may enter/);
  expect(fs.existsSync(path.join(dataDir, 'pg'))).toBe(false); // nothing was initialised
});

asRoot('programs the postgres user cannot reach are refused before anything is spawned', () => {
  const programs = path.join(closedDir(), 'node_modules', 'bin');
  fs.mkdirSync(programs, { recursive: true });
  expect(() => assertPostgresCanReach(fs.mkdtempSync(path.join(os.tmpdir(), 'idgraph-data-')), programs))
    .toThrow(StartRefused);
  expect(() => assertPostgresCanReach(os.tmpdir(), programs)).toThrow(/chmod o\+x .*idgraph-closed-.*run as a user other than root/);
});

asRoot('a DATA_DIR of mode 700 in a reachable place is opened for passing through (o+x), not for reading', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idgraph-data-'));
  closedDirs.push(dataDir);
  fs.chmodSync(dataDir, 0o700);
  assertPostgresCanReach(dataDir);
  expect(fs.statSync(dataDir).mode & 0o777).toBe(0o701);
  expect(firstBlockedDirectory(dataDir, undefined)).toBeUndefined();
});

test('the installed programs are found (and, where the tests run, reachable)', () => {
  expect(fs.existsSync(path.join(postgresProgramsDir(), 'initdb'))).toBe(true);
  expect(() => assertPostgresCanReach(os.tmpdir())).not.toThrow();
});
