// Transactions that span a whole operation (the gate's audited mutations), and work that must wait
// until such a transaction commits (e.g. waiting for the database to announce a change to every
// process): run now outside a transaction, else queued on it and run once it has committed;
// dropped when it rolls back.
import type { EntityManager } from '@mikro-orm/postgresql';
import { POOL_MAX } from './pool.ts';
import { readFromPrimary } from './read-routing.ts';

type Hook = () => Promise<void>;
const queued = new WeakMap<object, Hook[]>();

export function afterCommit(em: EntityManager, hook: Hook): Promise<void> {
  const transaction = em.getTransactionContext();
  if (!transaction) return hook();
  const hooks = queued.get(transaction) ?? [];
  hooks.push(hook);
  queued.set(transaction, hooks);
  return Promise.resolve();
}

/**
 * At most half the pool holds such a transaction at once, per process: work inside one may need a
 * second connection (brute-force counters run outside it, so they count even on rollback), and
 * with every connection held by a transaction waiting for another, the pool would deadlock.
 */
const SLOTS = Math.max(1, Math.floor(POOL_MAX / 2));
let inUse = 0;
const waiting: (() => void)[] = [];

async function takeSlot(): Promise<void> {
  if (inUse < SLOTS) { inUse++; return; }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function giveSlot(): void {
  const next = waiting.shift();
  if (next) next(); else inUse--;
}

/** `em.transactional(work)` within the slots, then the hooks the work queued, in order. */
export async function transactionalWithHooks<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  let transaction: object | undefined;
  readFromPrimary(em);
  await takeSlot();
  let result: T;
  try {
    result = await em.transactional((tx) => {
      transaction = tx.getTransactionContext();
      return work(tx as EntityManager);
    });
  } finally {
    giveSlot();
  }
  const hooks = transaction ? queued.get(transaction) : undefined;
  if (transaction) queued.delete(transaction);
  for (const hook of hooks ?? []) await hook();
  return result;
}
