// Writes a migration for the difference between the entities and the last snapshot.
// Usage: npm run migration:create [-- --initial]
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openDatabase } from '../src/db/database.ts';

const config = loadConfig();
const db = await openDatabase(config, createLogger('info'), { migrate: false });
try {
  const initial = process.argv.includes('--initial');
  const result = await db.orm.migrator.create(undefined, false, initial);
  console.log(result.fileName ? `wrote ${result.fileName}; add it to src/db/migrations/index.ts` : 'no changes');
} finally {
  await db.close();
}
