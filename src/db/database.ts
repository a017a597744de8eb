// Opens the database the configuration names (embedded when DATABASE_URL is unset) and migrates it.
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { ormOptions } from '../../mikro-orm.config.ts';

export interface Database {
  orm: MikroORM;
  close(): Promise<void>;
}

export async function connectionUrl(config: Config, log: Logger) {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  return startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
}

export async function openDatabase(config: Config, log: Logger, { migrate = true } = {}): Promise<Database> {
  const { url, stop } = await connectionUrl(config, log);
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(ormOptions(url, config.logLevel === 'debug', config.databaseReplicaUrls ?? []));
    if (migrate) {
      const applied = await orm.migrator.up();
      if (applied.length) log.info('migrations_applied', { names: applied.map((m) => m.name) });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    orm,
    close: async () => {
      await orm.close(true);
      await stop();
    },
  };
}
