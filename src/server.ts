// Starts everything the server needs and returns how to stop it: used by main.ts and the tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { openDatabase, type Database } from './db/database.ts';
import { createApp } from './app.ts';
import { drainTokenWrites } from './domain/oauth/token-write-behind.ts';
import { logMailSink, startOutboxDispatcher } from './domain/outbox/outbox.service.ts';
import { answerClientError } from './http/client-error.ts';
import { dialectForPath } from './http/fallback.ts';
import { trimMemoryWhenIdle } from './http/idle-memory.ts';
import { routes } from './rest/routes/index.ts';

export interface RunningServer {
  url: string;
  db: Database;
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger, db?: Database): Promise<RunningServer> {
  const database = db ?? await openDatabase(config, log);
  let listenUrl = '';
  const { app, stop } = await createApp({
    orm: database.orm, config, log, publicUrl: () => config.publicUrl ?? listenUrl,
  });
  // Errors Koa reports outside the middleware (a response stream cut by a timeout or the client)
  // go to the JSON log instead of Koa's default stderr print.
  app.on('error', (error: Error & { code?: string }) => log.info('response_stream_error', { name: error.name, code: error.code, message: error.message?.slice(0, 200) }));
  const server = http.createServer({
    // A connection that never finishes its headers (or its request) gets 408 and is closed;
    // Node checks the deadlines every connectionsCheckingInterval, so keep that well below them.
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
  }, app.callback());
  server.keepAliveTimeout = 5000;
  server.on('clientError', answerClientError(dialectForPath(routes)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const stopOutbox = config.outboxPollMs > 0
    ? startOutboxDispatcher(database.orm, logMailSink(log, config.passwordResetUrl), config.outboxPollMs, log)
    : async () => {};
  const stopTrimming = trimMemoryWhenIdle(server, config.idleMemoryTrimMs, log);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  listenUrl = `http://${host}:${port}`;
  return {
    url: listenUrl,
    db: database,
    close: async () => {
      stopTrimming();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      // Tokens already answered get their rows; a database gone away loses them, as a crash would.
      const lost = await drainTokenWrites(database.orm.em);
      if (lost) log.warn('token_rows_lost', { count: lost, reason: 'the database refused the writes at close' });
      await stopOutbox();
      await stop();
      if (!db) await database.close();
    },
  };
}
