// Which connection a read takes when streaming replicas are configured (DATABASE_REPLICA_URLS,
// mikro-orm.config.ts). A request's entity manager may read from a replica only once its face
// declared the request read-only (a GraphQL query, also behind a REST declaration), and never
// again after it wrote (a flush, a transaction): a request reads its own writes from the primary.
// Without replicas MikroORM answers 'read' with the primary, so this costs nothing then.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';

const replicaReadable = new WeakSet<EntityManager>();

/** The request is read-only: its reads may go to a replica (they may lag the primary a little). */
export function allowReplicaReads(em: EntityManager): void {
  replicaReadable.add(em);
}

/** The request wrote (or is about to): every read from now on goes to the primary. */
export function readFromPrimary(em: EntityManager): void {
  replicaReadable.delete(em);
}

export function mayReadReplica(em: EntityManager): boolean {
  return replicaReadable.has(em);
}

/** Options for `em.execute` of a plain-row read. */
export function readOptions(em: EntityManager): { method: 'all'; connectionType: 'read' | 'write' } {
  return { method: 'all', connectionType: replicaReadable.has(em) ? 'read' : 'write' };
}

/**
 * Registered in mikro-orm.config.ts: a flush of an entity manager sends its later reads to the
 * primary. (`em.transactional` runs on a fork that MikroORM does not link back to `em`: the
 * operation-wide transactions go through transactionalWithHooks, which calls readFromPrimary.)
 */
export class WritesReadFromPrimary implements EventSubscriber {
  beforeFlush(args: FlushEventArgs): void { readFromPrimary(args.em as EntityManager); }
}
