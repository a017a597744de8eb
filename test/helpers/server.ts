// Starts the real server on loopback over a fresh database of this test file's own.
import crypto from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createRootOrganization } from '../../src/domain/organization/organization.service.ts';

export interface TestOrg { id: string; apiKey: string; name: string }

export interface TestServer extends RunningServer {
  config: Config;
  databaseUrl: string;
  createOrg(name?: string): Promise<TestOrg>;
  /** Runs SQL directly, for assertions that nothing changed. */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
}

export function adminUrl(): string {
  const url = process.env.IDGRAPH_TEST_ADMIN_URL;
  if (!url) throw new Error('IDGRAPH_TEST_ADMIN_URL is unset: run the tests through jest (global setup)');
  return url;
}

/** A fresh database on the shared test PostgreSQL, or on the one `admin` connects to. */
export async function createTestDatabase(admin = adminUrl()): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `idgraph_test_${crypto.randomBytes(6).toString('hex')}`;
  const creator = new pg.Client({ connectionString: admin });
  await creator.connect();
  await creator.query(`create database ${name}`);
  await creator.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/**
 * `adminUrl`: a PostgreSQL of the test's own (e.g. one it stops and starts); default the shared one.
 * `log` receives the server's events (e.g. a test that reads `unhandled_error`); silent by default.
 */
export async function startTestServer(overrides: Partial<Config> = {}, options: {
  adminUrl?: string; log?: Logger;
  /** A streaming replica of `adminUrl` (helpers/replica.ts): the server reads from it where it may. */
  replica?: { replicaUrlOf(databaseUrl: string): string; caughtUp(): Promise<void> };
} = {}): Promise<TestServer> {
  const database = await createTestDatabase(options.adminUrl);
  if (options.replica) await options.replica.caughtUp();
  const databaseReplicaUrls = options.replica ? [options.replica.replicaUrlOf(database.url)] : [];
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', databaseUrl: database.url, databaseReplicaUrls, logLevel: 'silent' as const,
    masterKey: crypto.randomBytes(32).toString('hex'), ...overrides };
  const log = options.log ?? createLogger(process.env.TEST_LOG === '1' ? 'info' : 'silent');
  const db = await openDatabase(config, log);
  const server = await startServer(config, log, db);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => {}); // an idle client cut by the final drop database is not a test failure
  let counter = 0;
  return {
    ...server,
    config,
    databaseUrl: database.url,
    createOrg: async (name = `Org ${++counter}`) => {
      const { organization, apiKey } = await createRootOrganization(db.orm.em.fork(), name);
      return { id: organization.id, apiKey, name };
    },
    sql: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    close: async () => {
      await server.close();
      await pool.end();
      await db.close();
      await database.drop();
    },
  };
}
