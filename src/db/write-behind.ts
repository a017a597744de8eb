// Rows answered for before they are written: the rows of a few milliseconds go to PostgreSQL as one
// statement, and until then this process reads them from memory. Used where waiting for the write
// would hold every concurrent request in step with one round trip (the token endpoint).
import type { EntityManager } from '@mikro-orm/postgresql';

export interface WriteBehindOptions<Row> {
  /** Writes rows in one statement. */
  write: (em: EntityManager, rows: Row[]) => Promise<void>;
  keyOf: (row: Row) => string;
  /** A row that needs no writing any more (expired). */
  stale: (row: Row, now: number) => boolean;
  /** An error that rejects the row itself (a constraint), not the database being away. */
  rejectsRow: (error: unknown) => boolean;
  delayMs: number;
  /** Past this many unwritten rows, callers write their own (`accepts` says no). */
  maxUnwritten: number;
  retryMs: number;
}

interface PoolWrites<Row, View> {
  em: EntityManager;
  unwritten: Map<string, View>;
  queue: Row[];
  timer: NodeJS.Timeout | undefined;
  writing: Set<Promise<void>>;
  failing: boolean;
}

export class WriteBehind<Row, View> {
  // One set of writes per pool: a process may serve several databases (the tests do).
  private readonly byPool = new WeakMap<object, PoolWrites<Row, View>>();

  private readonly options: WriteBehindOptions<Row>;

  constructor(options: WriteBehindOptions<Row>) { this.options = options; }

  /** Whether rows may be written later now: not inside a transaction, and writes are going through. */
  accepts(em: EntityManager): boolean {
    if (em.isInTransaction()) return false;
    const writes = this.writesOf(em);
    return !writes.failing && writes.unwritten.size < this.options.maxUnwritten;
  }

  /** Queues rows for the next shared write; `view` is what `unwritten` answers for each until then. */
  add(em: EntityManager, rows: Row[], view: (row: Row) => View): void {
    const writes = this.writesOf(em);
    for (const row of rows) {
      writes.unwritten.set(this.options.keyOf(row), view(row));
      writes.queue.push(row);
    }
    writes.timer ??= setTimeout(() => this.flush(writes), this.options.delayMs).unref();
  }

  unwritten(em: EntityManager, key: string): View | undefined {
    return this.byPool.get(em.getConnection())?.unwritten.get(key);
  }

  /**
   * Writes the row of `key` now if it waits, and waits for the writes in flight: a reader that must
   * see what other processes did to the row (a revocation) reads the table after this. The row's
   * view if it is still unwritten after all (the database refused or is away), else undefined.
   */
  async settle(em: EntityManager, key: string): Promise<View | undefined> {
    const writes = this.byPool.get(em.getConnection());
    if (!writes?.unwritten.has(key)) return undefined;
    if (writes.queue.length) {
      clearTimeout(writes.timer);
      this.flush(writes);
    }
    while (writes.writing.size && writes.unwritten.has(key)) await Promise.allSettled([...writes.writing]);
    return writes.unwritten.get(key);
  }

  /**
   * Writes every queued row now and waits for every write in flight (a closing server). Rows the
   * database still refuses after a few tries are given up, as a crash would lose them.
   */
  async drain(em: EntityManager): Promise<number> {
    const writes = this.byPool.get(em.getConnection());
    if (!writes) return 0;
    for (let attempt = 0; attempt < 3 && (writes.queue.length || writes.writing.size); attempt++) {
      clearTimeout(writes.timer);
      this.flush(writes);
      while (writes.writing.size) await Promise.allSettled([...writes.writing]);
    }
    clearTimeout(writes.timer);
    writes.timer = undefined;
    const lost = writes.queue.length;
    writes.queue = [];
    writes.unwritten.clear();
    return lost;
  }

  private writesOf(em: EntityManager): PoolWrites<Row, View> {
    const pool = em.getConnection();
    let writes = this.byPool.get(pool);
    if (!writes) {
      // A fork of its own: the request that happened to come first keeps none of its entities alive here.
      writes = { em: em.fork(), unwritten: new Map(), queue: [], timer: undefined, writing: new Set(), failing: false };
      this.byPool.set(pool, writes);
    }
    return writes;
  }

  private flush(writes: PoolWrites<Row, View>): void {
    writes.timer = undefined;
    const now = Date.now();
    const rows = writes.queue.filter((row) => !this.options.stale(row, now) || !writes.unwritten.delete(this.options.keyOf(row)));
    writes.queue = [];
    if (!rows.length) return;
    const done = this.write(writes, rows).finally(() => writes.writing.delete(done));
    writes.writing.add(done);
  }

  private async write(writes: PoolWrites<Row, View>, rows: Row[]): Promise<void> {
    try {
      await this.options.write(writes.em, rows);
      writes.failing = false;
      for (const row of rows) writes.unwritten.delete(this.options.keyOf(row));
    } catch (error) {
      if (!this.options.rejectsRow(error)) {
        // The database is away: these rows are tried again, and callers write their own meanwhile.
        writes.failing = true;
        writes.queue.push(...rows);
        writes.timer ??= setTimeout(() => this.flush(writes), this.options.retryMs).unref();
      } else if (rows.length > 1) {
        await Promise.all(rows.map((row) => this.write(writes, [row]))); // one row must not sink the others
      } else {
        writes.unwritten.delete(this.options.keyOf(rows[0]));
      }
    }
  }
}
