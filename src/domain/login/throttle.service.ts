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
import { Person } from '../person/person.entity.ts';
import { defaultBlockConfig } from '../organization/tenant-settings.ts';
import { NotFound, RateLimited } from '../errors.ts';
import { normalizeUsername } from '../../zkp/protocol.ts';

export type BlockKind = 'ip' | 'user';

/** A reservation older than this is void: its process died while checking the secret. */
const STALE_ATTEMPT_SECONDS = 60;
const REFUSED = 'Too many failed logins; try again later';

function rulesOf(org: Organization) {
  const c = { ...defaultBlockConfig, ...org.tenantSettings.blockConfig };
  // rule(kind, max_attempts, window_seconds, initial_seconds, max_seconds), a CTE of every statement below
  return {
    sql: `rule (kind, max_attempts, window_seconds, initial_seconds, max_seconds) as
            (values ('ip', ?::int, ?::int, ?::int, ?::int), ('user', ?::int, ?::int, ?::int, ?::int))`,
    params: [c.ipAttemptsLimit, c.ipAttemptsResetMinutes * 60, c.initialBlockSeconds, c.maxBlockTimeMinutes * 60,
      c.userAttemptsLimit, c.userTimeframeSeconds, c.initialBlockSeconds, c.maxBlockTimeMinutes * 60],
  };
}

// Expressions over the row `t` being changed, as the statement that locks it sees it (never over
// an earlier read of it), and over the tenant's rules.
const ruleOf = (column: string) => `(select ${column} from rule where rule.kind = t.kind)`;
const WINDOW = `make_interval(secs => ${ruleOf('window_seconds')})`;
const EXPIRED = `(t.window_started_at < now() - ${WINDOW})`;
const FAILURES = `(case when ${EXPIRED} then 0 else t.failures end)`;
const LIVE = `(case when t.in_flight_since > now() - make_interval(secs => ${STALE_ATTEMPT_SECONDS}) then t.in_flight else 0 end)`;
const NOT_BLOCKED = `(t.blocked_until is null or t.blocked_until <= now())`;
const BLOCKING = `(t.failures + 1 >= ${ruleOf('max_attempts')} and ${NOT_BLOCKED})`;
const BLOCK_SECONDS = `(select least(initial_seconds::numeric * power(2::numeric, least(t.block_level, 40)), max_seconds::numeric)::int
  from rule where rule.kind = t.kind)`;

type Subject = [BlockKind, string];

function subjectsOf(ip: string | null, username: string): Subject[] {
  const subjects: Subject[] = [['user', normalizeUsername(username).slice(0, 128)]];
  if (ip) subjects.unshift(['ip', ip]);
  return subjects;
}

const matching = (subjects: Subject[]) => `t.organization_id = ? and (t.kind, t.subject) in (${subjects.map(() => '(?, ?)').join(', ')})`;

/** Seconds until the latest live block of these subjects ends; null when none is blocked now. */
async function blockedSeconds(em: EntityManager, org: Organization, subjects: Subject[]): Promise<number | null> {
  const [row] = await em.execute<{ seconds: number | null }[]>(
    `select ceil(extract(epoch from max(blocked_until) filter (where blocked_until > now()) - now()))::int as seconds
     from login_throttle t where ${matching(subjects)}`,
    [org.id, ...subjects.flat()]);
  return row?.seconds == null ? null : Math.max(1, row.seconds);
}

/** Throws RATE_LIMITED (429 with Retry-After) when the IP or the username is blocked now (a read only). */
export async function assertNotBlocked(em: EntityManager, org: Organization, ip: string | null, username: string) {
  const seconds = await blockedSeconds(em, org, subjectsOf(ip, username));
  if (seconds !== null) throw new RateLimited(REFUSED, seconds);
}

/**
 * Reserves an attempt slot for each subject, in order, in one statement of guarded upserts; a
 * subject is tried only when the one before admitted the attempt (so a blocked IP does not touch
 * the username's row). A subject admits when it is not blocked, and nothing is in flight or its
 * failures plus attempts in flight are below its limit (the first clause lets a subject above a
 * lowered limit earn its block). Answers the kinds admitted.
 */
async function reserve(em: EntityManager, org: Organization, subjects: Subject[]): Promise<Set<BlockKind>> {
  const rules = rulesOf(org);
  const slots = subjects.map((_, i) => `slot${i} as (
     insert into login_throttle as t (organization_id, kind, subject, failures, window_started_at, block_level, in_flight, in_flight_since)
     select ?::uuid, ?, ?, 0, now(), 0, 1, now() ${i > 0 ? `where exists (select 1 from slot${i - 1})` : ''}
     on conflict (organization_id, kind, subject) do update set
       block_level = case when t.blocked_until < now() - ${WINDOW} then 0 else t.block_level end,
       failures = ${FAILURES},
       window_started_at = case when ${EXPIRED} then now() else t.window_started_at end,
       in_flight = ${LIVE} + 1,
       in_flight_since = now()
     where ${NOT_BLOCKED} and (${LIVE} = 0 or ${FAILURES} + ${LIVE} < ${ruleOf('max_attempts')})
     returning t.kind)`);
  const rows = await em.execute<{ kind: BlockKind }[]>(
    `with ${rules.sql}, ${slots.join(', ')}
     ${subjects.map((_, i) => `select kind from slot${i}`).join(' union all ')}`,
    [...rules.params, ...subjects.flatMap((subject) => [org.id, ...subject])]);
  return new Set(rows.map((r) => r.kind));
}

/** Gives back the slots of an attempt that was not evaluated (or succeeded: `clearUser`). */
async function release(em: EntityManager, org: Organization, subjects: Subject[], clearUser: boolean) {
  if (!subjects.length) return;
  await em.execute(
    `update login_throttle t set in_flight = greatest(${LIVE} - 1, 0)${clearUser ? `, failures = case when t.kind = 'user' then 0 else t.failures end` : ''}
     where ${matching(subjects)}`,
    [org.id, ...subjects.flat()]);
}

/** Turns the slots into failures, blocking each subject that reaches its limit; answers the block's seconds, if any. */
async function fail(em: EntityManager, org: Organization, subjects: Subject[]): Promise<number | null> {
  const rules = rulesOf(org);
  const rows = await em.execute<{ seconds: number | null }[]>(
    `with ${rules.sql}
     update login_throttle t set
       in_flight = greatest(${LIVE} - 1, 0),
       failures = case when ${BLOCKING} then 0 else t.failures + 1 end,
       block_level = case when ${BLOCKING} then t.block_level + 1 else t.block_level end,
       block_seconds = case when ${BLOCKING} then ${BLOCK_SECONDS} else t.block_seconds end,
       blocked_at = case when ${BLOCKING} then now() else t.blocked_at end,
       blocked_until = case when ${BLOCKING} then now() + make_interval(secs => ${BLOCK_SECONDS}) else t.blocked_until end,
       window_started_at = case when ${BLOCKING} then now() else t.window_started_at end
     where ${matching(subjects)}
     returning case when t.blocked_until > now() then ceil(extract(epoch from t.blocked_until - now()))::int end as seconds`,
    [...rules.params, org.id, ...subjects.flat()]);
  const seconds = rows.map((r) => r.seconds).filter((s): s is number => s !== null);
  return seconds.length ? Math.max(1, ...seconds) : null;
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
  const admitted = await outsideTransaction(em, (free) => reserve(free, org, subjects));
  if (admitted.size < subjects.length) {
    const seconds = await outsideTransaction(em, async (free) => {
      await release(free, org, subjects.filter(([kind]) => admitted.has(kind)), false);
      return blockedSeconds(free, org, subjects);
    });
    // Full but not blocked: attempts in flight decide within a second.
    throw new RateLimited(REFUSED, seconds ?? 1);
  }
  let value: T | null;
  try {
    value = await check();
  } catch (error) {
    await outsideTransaction(em, (free) => fail(free, org, subjects)).catch(() => undefined); // the check's error is the one to report
    throw error;
  }
  if (value === null) return { value: null, blockedForSeconds: await outsideTransaction(em, (free) => fail(free, org, subjects)) };
  await outsideTransaction(em, (free) => release(free, org, subjects, true));
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
  const dir = page.direction === 'ASC' ? 'asc' : 'desc';
  const join = kind === 'user'
    ? `join handle h on h.organization_id = t.organization_id and h.type = 'username' and h.normalized = t.subject`
    : '';
  const rows = await em.execute<any[]>(
    `select t.subject, t.blocked_at, t.block_seconds, t.blocked_until, ${kind === 'user' ? 'h.person_id' : 'null as person_id'},
            count(*) over () as total
     from login_throttle t ${join}
     where t.organization_id = ? and t.kind = ? and t.blocked_until > now()
     order by t.blocked_at ${dir}, t.id ${dir} limit ? offset ?`,
    [org.id, kind, page.limit, page.offset],
  );
  let totalCount = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && page.offset > 0) {
    const [{ n }] = await em.execute<{ n: string }[]>(
      `select count(*) as n from login_throttle t ${join} where t.organization_id = ? and t.kind = ? and t.blocked_until > now()`,
      [org.id, kind]);
    totalCount = Number(n);
  }
  const ids = rows.map((r) => r.person_id).filter(Boolean);
  const persons = ids.length ? await em.find(Person, { id: { $in: ids } }) : [];
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
  const removed = await em.execute<{ id: string }[]>(
    `delete from login_throttle where organization_id = ? and kind = ? and subject = ? and blocked_until > now() returning id`,
    [org.id, kind, kind === 'user' ? normalizeUsername(subject).slice(0, 128) : subject]);
  if (!removed.length) throw new NotFound(`No active block on this ${kind === 'ip' ? 'IP address' : 'user'}`);
  return true;
}
