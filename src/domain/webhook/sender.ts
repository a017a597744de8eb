// The event sender, one per server process: fans committed events out to deliveries, then posts
// each due delivery as an ES256 JWT. Rows are taken with SKIP LOCKED and a lease (not a held
// transaction), so processes never send one delivery at the same time and no connection waits on
// a receiver. Failures are retried with exponential backoff and jitter, up to `maxAttempts`.
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../log.ts';
import { onEventsCommitted } from './events.ts';
import {
  claimDueDeliveries, fanOutEvents, markAttemptFailed, markDelivered, purgeSettledEvents, type ClaimedDelivery,
} from './sender.queries.ts';
import { openHeaders, type WebhookRuntime } from './runtime.ts';
import { describeFailure } from './transport.ts';
import { DEFAULT_EVENT_TIMEOUT_MS } from './webhook-rules.ts';

export interface SenderOptions {
  /** WEBHOOK_POLL_MS: how often to look for due deliveries besides the wake-ups. */
  pollMs: number;
  /** WEBHOOK_RETRY_BASE_MS: the first retry's delay; doubled per attempt, at most an hour, ±20 % jitter. */
  retryBaseMs: number;
  /** WEBHOOK_MAX_ATTEMPTS: attempts before a delivery is given up (`failed`). */
  maxAttempts: number;
  /** How long past its timeout an attempt keeps its delivery from other processes. */
  leaseMs?: number;
  batch?: number;
}

const MAX_RETRY_MS = 3_600_000;
/** Settled events (and their delivery history) are kept this long, then purged, at most hourly per process. */
export const EVENT_RETENTION_DAYS = 30;

/** The delay before retry number `attempts` (1 = after the first failure), with ±20 % jitter. */
export function retryDelayMs(attempts: number, baseMs: number, random = Math.random()): number {
  const delay = Math.min(baseMs * 2 ** (attempts - 1), MAX_RETRY_MS);
  return Math.round(delay * (0.8 + 0.4 * random));
}

export class EventSender {
  readonly #orm: MikroORM;
  readonly #runtime: WebhookRuntime;
  readonly #options: Required<SenderOptions>;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #soonest = Infinity;
  #purgedAt = 0;
  readonly #aborts = new Set<AbortController>();
  #unregister: (() => void) | undefined;

  constructor(orm: MikroORM, runtime: WebhookRuntime, options: SenderOptions, log: Logger) {
    this.#orm = orm;
    this.#runtime = runtime;
    this.#options = { leaseMs: 5000, batch: 32, ...options };
    this.#log = log;
  }

  start(): this {
    this.#unregister = onEventsCommitted(() => this.wake());
    this.#schedule(0);
    return this;
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#running) { this.#again = true; return; }
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    this.#timer = setTimeout(() => { this.#running = this.#run().finally(() => { this.#running = undefined; }); }, delayMs);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    this.#soonest = Infinity;
    try {
      do {
        this.#again = false;
        await this.drain();
      } while (this.#again && !this.#stopped);
    } catch (error) {
      this.#log.error('webhook_sender_failed', { message: (error as Error).message?.slice(0, 200) });
    }
    const dueIn = Math.max(0, this.#soonest - Date.now());
    this.#schedule(Math.min(this.#options.pollMs, dueIn));
  }

  /** Fans out and delivers until nothing is due; returns how many attempts succeeded. */
  async drain(): Promise<number> {
    let delivered = 0;
    const em = this.#orm.em.fork() as EntityManager;
    if (Date.now() - this.#purgedAt > 3_600_000) {
      this.#purgedAt = Date.now();
      await purgeSettledEvents(em, EVENT_RETENTION_DAYS);
    }
    for (;;) {
      while (!this.#stopped && await fanOutEvents(em, 500) === 500) { /* more to fan out */ }
      if (this.#stopped) return delivered;
      const claimed = await claimDueDeliveries(em, this.#options.batch, DEFAULT_EVENT_TIMEOUT_MS, this.#options.leaseMs);
      if (!claimed.length) return delivered;
      const results = await Promise.all(claimed.map((d) => this.#deliver(em, d)));
      delivered += results.filter(Boolean).length;
    }
  }

  async #deliver(em: EntityManager, d: ClaimedDelivery): Promise<boolean> {
    const abort = new AbortController();
    this.#aborts.add(abort);
    let status: number | null = null;
    let failure: string;
    try {
      const jwt = await this.#runtime.signer.sign({
        aud: d.organization_id, iss: this.#runtime.issuer(), jti: d.id,
        sub: (d.content.event_metadata as { event_id?: string } | undefined)?.event_id ?? d.event_id, target_url: d.target_url,
        webhook_id: d.webhook_id, trigger_type: 'event', trigger_name: d.event_name, trigger_content: d.content,
      });
      const headers = openHeaders(this.#runtime, d.webhook_id, d.custom_headers_sealed);
      const answer = await this.#runtime.transport.post(d.target_url, jwt, headers, d.timeout_ms || DEFAULT_EVENT_TIMEOUT_MS, abort.signal);
      status = answer.status;
      if (status >= 200 && status < 300) {
        await markDelivered(em, d.id, d.attempts, status);
        return true;
      }
      failure = `HTTP ${status}`;
    } catch (error) {
      if (this.#stopped) return false; // the lease hands it to the next process (or this one, restarted)
      failure = describeFailure(error);
    } finally {
      this.#aborts.delete(abort);
    }
    const retryIn = d.attempts >= this.#options.maxAttempts ? null : retryDelayMs(d.attempts, this.#options.retryBaseMs);
    if (retryIn !== null) this.#soonest = Math.min(this.#soonest, Date.now() + retryIn);
    await markAttemptFailed(em, d.id, d.attempts, failure, status, retryIn);
    this.#log.info('webhook_delivery_failed', { webhook_id: d.webhook_id, delivery_id: d.id, attempts: d.attempts, error: failure, gave_up: retryIn === null });
    return false;
  }

  /** Stops polling, cuts attempts in flight (their leases expire) and waits for the current round. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unregister?.();
    clearTimeout(this.#timer);
    for (const abort of this.#aborts) abort.abort();
    await this.#running?.catch(() => {});
  }
}
