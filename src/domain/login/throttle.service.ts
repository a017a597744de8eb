// Brute-force blocking (tenant block_config), per client IP and per username, in PostgreSQL so
// that any number of server processes agree. An attempt to prove a secret is admitted or refused
// by the same statement that counts it: it reserves a slot (`in_flight`) while its secret is
// checked, so parallel guesses cannot all pass a check made before any of them is counted. A
// failure turns the slot into a failure; reaching the limit within the window blocks the subject
// for initial_block_seconds × 2^level (capped at max_block_time_minutes), and the level drops back
// after a quiet window or an admin's lift. A success releases its slot and clears the username's
// failures (not the IP's).
import type { EntityManager } from '@mikro-orm/postgresql';
import { TransactionPropagation } from '@mikro-orm/core';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { findHandlesOfPersons, findPersonsByIds } from '../person/person.queries.ts';
import { getPerson } from '../person/person-lookup.ts';
import {
  blockedSeconds, deleteActiveBlock, fail, findActiveBlocks, release, reserve, type BlockKind, type BlockLimits, type Subject,
} from './throttle.queries.ts';
import { defaultBlockConfig } from '../organization/tenant-settings.ts';
import { NotFound, RateLimited } from '../errors.ts';
import { normalizeUsername } from '../../zkp/protocol.ts';

export type { BlockKind };

const REFUSED = 'Too many failed logins; try again later';

/** The tenant's limits (block_config, defaults for what it does not set) in the order the statements take them. */
function limitsOf(org: Organization): BlockLimits {
  const c = { ...defaultBlockConfig, ...org.tenantSettings.blockConfig };
  const block = { initialSeconds: c.initialBlockSeconds, maxSeconds: c.maxBlockTimeMinutes * 60 };
  return {
    ip: { maxAttempts: c.ipAttemptsLimit, windowSeconds: c.ipAttemptsResetMinutes * 60, ...block },
    user: { maxAttempts: c.userAttemptsLimit, windowSeconds: c.userTimeframeSeconds, ...block },
  };
}

function subjectsOf(ip: string | null, username: string): Subject[] {
  const subjects: Subject[] = [['user', normalizeUsername(username).slice(0, 128)]];
  if (ip) subjects.unshift(['ip', ip]);
  return subjects;
}

/** Throws RATE_LIMITED (429 with Retry-After) when the IP or the username is blocked now (a read only). */
export async function assertNotBlocked(em: EntityManager, org: Organization, ip: string | null, username: string) {
  const seconds = await blockedSeconds(em, org.id, subjectsOf(ip, username));
  if (seconds !== null) throw new RateLimited(REFUSED, seconds);
}

export type AttemptResult<T> = { value: T } | { value: null; blockedForSeconds: number | null };

/**
 * One guess of a secret under the tenant's brute-force limits for the client IP and `username`.
 * Refused before `check` runs (RATE_LIMITED, 429 with Retry-After) while either is blocked or
 * already has as many attempts counted or in flight as its limit. `check` answers a value when the
 * secret is right, null when not; a throw counts as a failure. A failure answers how long the IP
 * or user is blocked now, if it is.
 */
/**
 * Counter statements run outside any transaction of the caller (an audited mutation runs in one):
 * a failure must count even when the caller's transaction rolls back, and a reservation must not
 * hold a row lock until that transaction ends.
 */
function outsideTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.transactional((free) => work(free as EntityManager), { propagation: TransactionPropagation.NOT_SUPPORTED });
}

export async function throttledAttempt<T>(em: EntityManager, org: Organization, ip: string | null, username: string,
  check: () => Promise<T | null>): Promise<AttemptResult<T>> {
  const subjects = subjectsOf(ip, username);
  const admitted = await outsideTransaction(em, (free) => reserve(free, org.id, limitsOf(org), subjects));
  if (admitted.size < subjects.length) {
    const seconds = await outsideTransaction(em, async (free) => {
      await release(free, org.id, subjects.filter(([kind]) => admitted.has(kind)), false);
      return blockedSeconds(free, org.id, subjects);
    });
    // Full but not blocked: attempts in flight decide within a second.
    throw new RateLimited(REFUSED, seconds ?? 1);
  }
  let value: T | null;
  try {
    value = await check();
  } catch (error) {
    await outsideTransaction(em, (free) => fail(free, org.id, limitsOf(org), subjects)).catch(() => undefined); // the check's error is the one to report
    throw error;
  }
  if (value === null) return { value: null, blockedForSeconds: await outsideTransaction(em, (free) => fail(free, org.id, limitsOf(org), subjects)) };
  await outsideTransaction(em, (free) => release(free, org.id, subjects, true));
  return { value };
}

export interface BlockRow {
  subject: string;
  blockedAt: Date;
  blockSeconds: number;
  blockedUntil: Date;
  person: Person | null;
}

export interface BlockPage { rows: BlockRow[]; offset: number; totalCount: number }

/** Active blocks of one kind, a page at a time; user blocks only for usernames that exist. */
export async function listActiveBlocks(em: EntityManager, org: Organization, kind: BlockKind,
  page: { offset: number; limit: number; direction: 'ASC' | 'DESC' }): Promise<BlockPage> {
  const { rows, totalCount } = await findActiveBlocks(em, org.id, kind, page);
  const ids = rows.map((r) => r.person_id).filter((id): id is string => id !== null);
  const persons = ids.length ? await findPersonsByIds(em, ids) : [];
  const byId = new Map(persons.map((p) => [p.id, p]));
  return {
    offset: page.offset,
    totalCount,
    rows: rows.map((r) => ({
      subject: r.subject, blockedAt: new Date(r.blocked_at), blockSeconds: r.block_seconds,
      blockedUntil: new Date(r.blocked_until), person: r.person_id ? byId.get(r.person_id) ?? null : null,
    })),
  };
}

/** An admin lifts a block: the subject's counters and block level start over. */
export async function liftBlock(em: EntityManager, org: Organization, kind: BlockKind, subject: string): Promise<boolean> {
  const removed = await deleteActiveBlock(em, org.id, kind, kind === 'user' ? normalizeUsername(subject).slice(0, 128) : subject);
  if (!removed) throw new NotFound(`No active block on this ${kind === 'ip' ? 'IP address' : 'user'}`);
  return true;
}

/** An admin lifts the block of a person's username (NOT_FOUND when it has none, or none is blocked). */
export async function liftPersonBlock(em: EntityManager, org: Organization, personId: string): Promise<boolean> {
  const person = await getPerson(em, org, personId);
  const username = (await findHandlesOfPersons(em, [person.id])).find((h) => h.type === 'username');
  if (!username) throw new NotFound('No active block on this user');
  return liftBlock(em, org, 'user', username.normalized);
}
