import fs from 'node:fs/promises';

export default async function globalTeardown() {
  const state = (globalThis as any).__idgraphTestDb;
  if (!state) return;
  await state.db.stop();
  await fs.rm(state.dataDir, { recursive: true, force: true });
}
