// Cache invalidation through PostgreSQL: one dedicated connection per process LISTENs on
// `idgraph_invalidate`; triggers (declared with the entities (`triggers`)) send `<table>:<key>` in the
// transaction that changes a cached row, so every process hears of every committed change.
// While the connection is down, caches are told to turn themselves off (they read through to
// the database); on reconnection they are emptied and turned back on.
import pg from 'pg';
import type { Logger } from '../log.ts';

export const INVALIDATION_CHANNEL = 'idgraph_invalidate';

/** What a cache must offer to be kept correct by the listener. */
export interface InvalidatedCache {
  /** A row of `table` with this key changed or went away. */
  invalidate(table: string, key: string): void;
  /** `true`: notifications flow, the cache may serve; `false`: it must not (and must forget all). */
  setLive(live: boolean): void;
}

export class InvalidationListener {
  private readonly url: string;
  private readonly log: Logger;
  private readonly caches: InvalidatedCache[] = [];
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly heartbeatMs: number;
  live = false;

  /**
   * `heartbeatMs`: how often the connection proves it is alive (a `select 1` answered within that
   * time), so a connection that died silently (no RST) turns the caches off within twice that.
   */
  constructor(url: string, log: Logger, heartbeatMs = 5000) {
    this.url = url;
    this.log = log;
    this.heartbeatMs = heartbeatMs;
  }

  register(cache: InvalidatedCache) {
    this.caches.push(cache);
    cache.setLive(this.live);
  }

  /** Connects once; later losses reconnect in the background with a capped backoff. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.log.error('invalidation_listen_failed', { message: (error as Error).message });
      this.schedule();
    }
  }

  private async connect() {
    const client = new pg.Client({
      connectionString: this.url, application_name: 'idgraph-invalidation', keepAlive: true, keepAliveInitialDelayMillis: this.heartbeatMs,
    });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== INVALIDATION_CHANNEL || !message.payload) return;
      const at = message.payload.indexOf(':');
      if (at < 0) return;
      const table = message.payload.slice(0, at);
      const key = message.payload.slice(at + 1);
      for (const cache of this.caches) cache.invalidate(table, key);
    });
    await client.connect();
    await client.query(`listen ${INVALIDATION_CHANNEL}`);
    if (this.client !== client || this.stopped) { await client.end().catch(() => {}); return; }
    this.retryMs = 250;
    this.startHeartbeat(client);
    this.setLive(true);
    this.log.info('invalidation_listening', {});
  }

  private startHeartbeat(client: pg.Client) {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('heartbeat unanswered')), this.heartbeatMs);
      });
      Promise.race([client.query('select 1'), late])
        .catch((error) => this.lost(client, error as Error))
        .finally(() => clearTimeout(timer));
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private setLive(live: boolean) {
    this.live = live;
    for (const cache of this.caches) cache.setLive(live);
  }

  private lost(client: pg.Client, error?: Error) {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    this.setLive(false);
    client.end().catch(() => {});
    if (this.stopped) return;
    this.log.error('invalidation_connection_lost', { message: error?.message ?? 'connection ended' });
    this.schedule();
  }

  private schedule() {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().catch((error) => {
        this.log.error('invalidation_listen_failed', { message: (error as Error).message });
        const client = this.client;
        if (client) this.lost(client, error as Error);
        else this.schedule();
      });
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  async stop() {
    this.stopped = true;
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    this.setLive(false);
    await client?.end().catch(() => {});
  }
}
