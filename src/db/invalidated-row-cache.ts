// Read-only snapshots of rows kept for a moment in process memory, so that a burst of requests
// needing the same row costs one query. Correct across processes because the database invalidates
// them (src/db/invalidation.ts): a trigger announces every committed change of a cached table as
// `<table>:<key>`, each process drops the entry when it hears it, and while the listening
// connection is down the cache serves nothing. A read that overlapped an invalidation is not
// stored (the generation moved), so an entry never outlives a change it raced.
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterCommit } from './transactions.ts';
import { INVALIDATION_CHANNEL, type InvalidatedCache } from './invalidation.ts';

/** Entries at most; past it the cache starts over rather than tracking age. */
const MAX_ENTRIES = 10_000;

export class InvalidatedRowCache<V> implements InvalidatedCache {
  private entries = new Map<string, { value: V; at: number }>();
  private generation = 0;
  private live = false;
  private waiters = new Map<string, Set<() => void>>();

  /**
   * `table`: the name its trigger announces; `load`: reads the row (null: none, not stored);
   * `ttlMs`: an entry is read again after that long, whatever was heard.
   */
  private readonly table: string;
  private readonly load: (em: EntityManager, key: string) => Promise<V | null>;
  private readonly ttlMs: number;

  constructor(table: string, load: (em: EntityManager, key: string) => Promise<V | null>, ttlMs = 2000) {
    this.table = table;
    this.load = load;
    this.ttlMs = ttlMs;
  }

  async find(em: EntityManager, key: string): Promise<V | null> {
    if (this.live) {
      const hit = this.entries.get(key);
      if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    }
    const generation = this.generation;
    const value = await this.load(em, key);
    if (value !== null && this.live && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value, at: Date.now() });
    } else {
      this.entries.delete(key);
    }
    return value;
  }

  /** A change made by this process: seen here at once, without waiting for the notification. */
  forget(key: string) {
    this.generation++;
    this.entries.delete(key);
  }

  /**
   * Runs `write` (which commits a change of the row) and returns once this process has heard the
   * database announce it (at most `waitMs`): the notification goes to every listening process at
   * the same moment, so by the time the caller gets its answer the other processes have it too,
   * and a request sent after that answer finds no stale entry anywhere. An announcement of our own
   * follows the write, so the wait also ends when the write changed nothing (the trigger is silent
   * then): notifications reach each listener in commit order.
   */
  async change<T>(em: EntityManager, key: string, write: () => Promise<T>, waitMs = 1000): Promise<T> {
    let heard!: () => void;
    const announced = new Promise<void>((resolve) => { heard = resolve; });
    const waiters = this.waiters.get(key) ?? new Set();
    waiters.add(heard);
    this.waiters.set(key, waiters);
    const done = () => {
      waiters.delete(heard);
      if (!waiters.size && this.waiters.get(key) === waiters) this.waiters.delete(key);
    };
    let result: T;
    try {
      result = await write();
      this.forget(key);
      if (this.live) await em.execute(`select pg_notify('${INVALIDATION_CHANNEL}', ?)`, [`${this.table}:${key}`]);
    } catch (error) {
      done();
      throw error;
    }
    // Inside a transaction the announcement leaves at commit: wait for it after that.
    await afterCommit(em, async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        if (this.live) await Promise.race([announced, new Promise<void>((resolve) => { timer = setTimeout(resolve, waitMs); timer.unref(); })]);
      } finally {
        clearTimeout(timer);
        done();
      }
    });
    return result;
  }

  invalidate(table: string, key: string) {
    if (table !== this.table) return;
    this.forget(key);
    for (const heard of this.waiters.get(key) ?? []) heard();
  }

  setLive(live: boolean) {
    this.generation++;
    this.entries.clear();
    this.live = live;
  }
}
