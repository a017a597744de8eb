// Writes a migration for the difference between the entities and what the existing migrations
// build. It runs them on a throw-away embedded PostgreSQL (or DATABASE_URL), then diffs. The options
// are mikro-orm.config.ts's (through openDatabase): no snapshot, so it writes the migration only.
// Usage: npm run migration:create   — then add the new file to src/db/migrations/index.ts
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { openDatabase } from '../src/db/database.ts';

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-migration-'));
await fs.chmod(scratch, 0o755);
const config = { ...loadConfig(), dataDir: scratch, embeddedPgPort: 54000 + Math.floor(Math.random() * 1000) };
const db = await openDatabase(config, createLogger('silent'));
try {
  const result = await db.orm.migrator.create(undefined, false, false);
  console.log(result.fileName ? `wrote ${result.fileName}; add it to src/db/migrations/index.ts` : 'no changes');
} finally {
  await db.close();
  await fs.rm(scratch, { recursive: true, force: true });
}
