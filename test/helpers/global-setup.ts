// One PostgreSQL for the whole run: DATABASE_URL when set, else an embedded one in a temp dir.
// Each test file then gets a database of its own (test/helpers/server.ts).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/log.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.IDGRAPH_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-test-'));
  await fs.chmod(dataDir, 0o755);
  const db = await startEmbeddedPostgres(dataDir, await freePort(), createLogger('silent'));
  process.env.IDGRAPH_TEST_ADMIN_URL = db.url;
  (globalThis as any).__idgraphTestDb = { db, dataDir };
}
