// Work that must wait until a transaction commits (e.g. waiting for the database to announce a
// change to every process): run now outside a transaction, else queued on the transaction and run
// by `transactionalWithHooks` once it has committed. Dropped when the transaction rolls back.
import type { EntityManager } from '@mikro-orm/postgresql';

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

/** `em.transactional(work)`, then the hooks the work queued, in order. */
export async function transactionalWithHooks<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  let transaction: object | undefined;
  const result = await em.transactional((tx) => {
    transaction = tx.getTransactionContext();
    return work(tx as EntityManager);
  });
  const hooks = transaction ? queued.get(transaction) : undefined;
  if (transaction) queued.delete(transaction);
  for (const hook of hooks ?? []) await hook();
  return result;
}
