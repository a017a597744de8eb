// MikroORM options shared by the server, the CLI commands, the tests and mikro-orm.config.ts.
import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entities } from './entities.ts';
import { migrationsList } from './migrations/index.ts';

export const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Connections per process. */
export const POOL_MAX = 10;

export function ormOptions(clientUrl: string, debug = false) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    debug,
    pool: { min: 0, max: POOL_MAX },
    migrations: {
      path: migrationsDir,
      pathTs: migrationsDir,
      emit: 'ts',
      // No snapshot: migration:create diffs the entities against a database migrated from scratch,
      // so migrations written on parallel branches never fight over a snapshot file.
      snapshot: false,
      silent: true,
      // Listed explicitly so migrations load the same way under node, jest and a bundler.
      migrationsList,
    },
  });
}
