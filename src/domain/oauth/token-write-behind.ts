// Client-credentials access tokens are answered before their row is written: the rows of a few
// milliseconds go to PostgreSQL as one INSERT right after (src/db/write-behind.ts). Waiting for
// that INSERT held every concurrent token request in step with one round trip to the database;
// answering first lets them flow (docs/performance.md). What keeps this safe:
// - a lookup here (introspection, revocation) of a row not written yet writes it first and reads
//   the table, where another process may have revoked it; only a row the database will not take
//   now is answered from memory;
// - a revocation that arrives first, here or in another process, writes the row revoked, and the
//   late INSERT then leaves it so (`on conflict do nothing`): a revoked token never comes back;
// - another process that does not find a fresh token looks again for a moment (introspection);
// - a close writes every row first; a crash loses at most the rows of its last milliseconds, whose
//   tokens then read as unknown (inactive), never as valid after a revocation;
// - while writes fail, tokens wait for their own row again, as every other token does.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { WriteBehind } from '../../db/write-behind.ts';
import { insertTokens, selectTokenByHash, type NewToken, type TokenRow } from './oauth.queries.ts';

const tokenWrites = new WriteBehind<NewToken, TokenRow>({
  write: insertTokens,
  keyOf: (row) => row.tokenHash,
  stale: (row, now) => row.expiresAt.getTime() <= now,
  // A client (or organization) deleted meanwhile: its token goes with it.
  rejectsRow: (error) => error instanceof ForeignKeyConstraintViolationException,
  delayMs: 2,
  maxUnwritten: 20_000,
  retryMs: 500,
});

/** Whether a token may be answered before its row is written now. */
export const canWriteLater = (em: EntityManager) => tokenWrites.accepts(em);

/** Queues a client's token rows for the next shared INSERT. */
export function writeLater(em: EntityManager, rows: NewToken[], wireClientId: string): void {
  tokenWrites.add(em, rows, (row) => ({
    token_hash: row.tokenHash, kind: row.kind, grant_id: row.grantId, organization_id: row.organizationId,
    client_id: row.clientId, wire_client_id: wireClientId, person_id: row.personId, issuer: row.issuer, scope: row.scope,
    auth_time: row.authTime, sid: row.sid, issued_at: row.issuedAt, expires_at: row.expiresAt, used_at: null, revoked_at: null,
    authentication: row.authentication,
  }));
}

/**
 * A token by the SHA-256 of it, as the table has it. A row this process has not written yet is
 * written first (another process may have revoked the token meanwhile, in the table); a row the
 * database will not take now is answered from memory.
 */
export async function findTokenByHash(em: EntityManager, tokenHash: string): Promise<TokenRow | undefined> {
  if (tokenWrites.unwritten(em, tokenHash)) {
    const unwritten = await tokenWrites.settle(em, tokenHash);
    if (unwritten) return unwritten;
  }
  return selectTokenByHash(em, tokenHash);
}

/** Marks an unwritten row revoked, so this process reads it so at once (the table's row is written revoked too). */
export function markUnwrittenRevoked(em: EntityManager, tokenHash: string): void {
  const row = tokenWrites.unwritten(em, tokenHash);
  if (row) row.revoked_at = new Date();
}

/** Writes every token row still in memory (a closing server). */
export const drainTokenWrites = (em: EntityManager) => tokenWrites.drain(em);
