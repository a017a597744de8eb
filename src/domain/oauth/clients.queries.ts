// Data access for OAuth clients. Rules live in clients.service.ts.
import { afterCommit } from '../../db/transactions.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OAuthClient } from './oauth-client.entity.ts';
import { INVALIDATION_CHANNEL } from '../../db/invalidation.ts';

export function findClientByClientId(em: EntityManager, clientId: string): Promise<OAuthClient | null> {
  if (clientId.length > 128) return Promise.resolve(null);
  return em.findOne(OAuthClient, { clientId });
}

/** Records that the client was used now (a code redeemed). */
export async function recordClientUse(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(OAuthClient, { id }, { lastUsedAt: new Date() });
}

export function findClientsOf(em: EntityManager, organizationId: string, offset: number, limit: number) {
  return em.find(OAuthClient, { organization: organizationId }, {
    orderBy: { createdAt: 'asc', id: 'asc' }, offset, limit,
  });
}

/**
 * Clients as the token, introspection and revocation endpoints see them: read-only snapshots kept
 * for a moment so that a burst of requests from one client costs one query. Correct across
 * processes because it is invalidated through the database (src/db/invalidation.ts): a trigger
 * announces every committed change of a client, each process drops the entry when it hears it,
 * and while the listening connection is down the cache serves nothing. A read that overlapped an
 * invalidation is not stored (the generation moved), so an entry never outlives a change it raced.
 */
export class ClientCache {
  private readonly ttlMs: number;
  private entries = new Map<string, { client: OAuthClient; at: number }>();
  private generation = 0;
  private live = false;

  constructor(ttlMs = 2000) {
    this.ttlMs = ttlMs;
  }

  async find(em: EntityManager, clientId: string): Promise<OAuthClient | null> {
    if (this.live) {
      const hit = this.entries.get(clientId);
      if (hit && Date.now() - hit.at < this.ttlMs) return hit.client;
    }
    const generation = this.generation;
    const client = await findClientByClientId(em, clientId);
    if (client && this.live && generation === this.generation) {
      if (this.entries.size >= 10_000) this.entries.clear();
      this.entries.set(clientId, { client, at: Date.now() });
    } else {
      this.entries.delete(clientId);
    }
    return client;
  }

  /** A change made by this process: seen here at once, without waiting for the notification. */
  forget(clientId: string) {
    this.generation++;
    this.entries.delete(clientId);
  }

  /**
   * Runs `write` (which commits a change of the client) and returns once this process has heard
   * the database announce it (at most `waitMs`): the notification goes to every listening process
   * at the same moment, so by the time the caller gets its answer the other processes have it too,
   * and a request sent after that answer finds no stale entry anywhere. An announcement of our own
   * follows the write, so the wait also ends when the write changed nothing (the trigger is silent
   * then): notifications reach each listener in commit order.
   */
  async change<T>(em: EntityManager, clientId: string, write: () => Promise<T>, waitMs = 1000): Promise<T> {
    let heard!: () => void;
    const announced = new Promise<void>((resolve) => { heard = resolve; });
    const waiters = this.waiters.get(clientId) ?? new Set();
    waiters.add(heard);
    this.waiters.set(clientId, waiters);
    const done = () => {
      waiters.delete(heard);
      if (!waiters.size && this.waiters.get(clientId) === waiters) this.waiters.delete(clientId);
    };
    let result: T;
    try {
      result = await write();
      this.forget(clientId);
      if (this.live) await em.execute(`select pg_notify('${INVALIDATION_CHANNEL}', ?)`, [`oauth_client:${clientId}`]);
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

  private waiters = new Map<string, Set<() => void>>();

  invalidate(table: string, key: string) {
    if (table !== 'oauth_client') return;
    this.forget(key);
    for (const heard of this.waiters.get(key) ?? []) heard();
  }

  setLive(live: boolean) {
    this.generation++;
    this.entries.clear();
    this.live = live;
  }
}
