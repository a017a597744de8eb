// MikroORM's configuration, one for every user of it: the server (src/db/database.ts), the
// migration script (scripts/migration-create.ts) and MikroORM's own CLI, which finds this file by
// its name (`npm run mikro-orm -- debug`; see README "Commands").
import path from 'node:path';
import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './src/db/entities.ts';
import { migrationsList } from './src/db/migrations/index.ts';
import { POOL_MAX } from './src/db/pool.ts';
import { WritesReadFromPrimary } from './src/db/read-routing.ts';
import { StatementsMigrationGenerator } from './src/db/migration-generator.ts';

export const migrationsDir = path.join(import.meta.dirname, 'src', 'db', 'migrations');

export function ormOptions(clientUrl: string, debug = false, replicaUrls: readonly string[] = []) {
  return defineConfig({
    clientUrl,
    // Streaming replicas (DATABASE_REPLICA_URLS). Every statement goes to the primary unless it asks
    // for a read connection, which only reads of a read-only request do (src/db/read-routing.ts):
    // a request that writes reads its own writes from the primary.
    replicas: replicaUrls.map((url, i) => ({ name: `replica-${i + 1}`, clientUrl: url })),
    preferReadReplicas: false,
    subscribers: [new WritesReadFromPrimary()],
    entities,
    extensions: [Migrator],
    debug,
    pool: { min: 0, max: POOL_MAX },
    // The planner's default random_page_cost (4) is for spinning disks: with it, the lists of a
    // page of 100 persons (handles, groups, roles…) were read by scanning the whole link tables
    // rather than their person_id indexes (12 ms instead of 4 on 10,000 persons, growing with the
    // tables). 1.1 is the usual setting for SSDs and cached data; set on each of our sessions, so
    // an operator's own database settings stay as they are for everyone else.
    //
    // plan_cache_mode: our prepared statements (src/db/prepared.ts) run on their generic plan from
    // the first execution. Left to choose, PostgreSQL re-planned the persons page on every run
    // (a `limit $n` makes the generic plan look costlier than it is): 0.35 ms of its 0.9 ms.
    driverOptions: { options: '-c random_page_cost=1.1 -c plan_cache_mode=force_generic_plan' },
    migrations: {
      path: migrationsDir,
      pathTs: migrationsDir,
      emit: 'ts',
      // No snapshot: migration:create diffs the entities against a database migrated from scratch,
      // so migrations written on parallel branches never fight over a snapshot file.
      snapshot: false,
      silent: true,
      // New migrations hold only their statements (src/db/sql-migration.ts).
      generator: StatementsMigrationGenerator,
      // Listed explicitly so migrations load the same way under node, jest and a bundler.
      migrationsList,
    },
  });
}

/**
 * For the CLI: DATABASE_URL, else the embedded PostgreSQL of DATA_DIR while a server runs it.
 * A function, so importing this module (as the server does) reads no environment and no file.
 */
export default async function cliConfig() {
  const { loadConfig } = await import('./src/config.ts');
  const { runningEmbeddedUrl } = await import('./src/db/embedded.ts');
  const config = loadConfig();
  const url = config.databaseUrl ?? await runningEmbeddedUrl(config.dataDir);
  if (!url) {
    throw new Error(`No database to connect to: set DATABASE_URL, or start the server (npm start) so the embedded PostgreSQL of ${config.dataDir} runs`);
  }
  return ormOptions(url, config.logLevel === 'debug');
}
