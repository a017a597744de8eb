// The statements of brute-force blocking (rules and the attempt protocol: throttle.service.ts).
// Every change is one statement over the row it locks, so N processes agree.
import type { EntityManager } from '@mikro-orm/postgresql';

export type BlockKind = 'ip' | 'user';
export type Subject = [BlockKind, string];

export interface KindLimits { maxAttempts: number; windowSeconds: number; initialSeconds: number; maxSeconds: number }
export type BlockLimits = Record<BlockKind, KindLimits>;

/** A reservation older than this is void: its process died while checking the secret. */
const STALE_ATTEMPT_SECONDS = 60;

/** rule(kind, max_attempts, window_seconds, initial_seconds, max_seconds), a CTE of the statements below. */
function ruleCte(limits: BlockLimits) {
  const row = (l: KindLimits) => [l.maxAttempts, l.windowSeconds, l.initialSeconds, l.maxSeconds];
  return {
    sql: `rule (kind, max_attempts, window_seconds, initial_seconds, max_seconds) as
            (values ('ip', ?::int, ?::int, ?::int, ?::int), ('user', ?::int, ?::int, ?::int, ?::int))`,
    params: [...row(limits.ip), ...row(limits.user)],
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

const matching = (subjects: Subject[]) => `t.organization_id = ? and (t.kind, t.subject) in (${subjects.map(() => '(?, ?)').join(', ')})`;

/** Seconds until the latest live block of these subjects ends; null when none is blocked now. */
export async function blockedSeconds(em: EntityManager, organizationId: string, subjects: Subject[]): Promise<number | null> {
  const [row] = await em.execute<{ seconds: number | null }[]>(
    `select ceil(extract(epoch from max(blocked_until) filter (where blocked_until > now()) - now()))::int as seconds
     from login_throttle t where ${matching(subjects)}`,
    [organizationId, ...subjects.flat()]);
  return row?.seconds == null ? null : Math.max(1, row.seconds);
}

/**
 * Reserves an attempt slot for each subject, in order, in one statement of guarded upserts; a
 * subject is tried only when the one before admitted the attempt (so a blocked IP does not touch
 * the username's row). A subject admits when it is not blocked, and nothing is in flight or its
 * failures plus attempts in flight are below its limit (the first clause lets a subject above a
 * lowered limit earn its block). Answers the kinds admitted.
 */
export async function reserve(em: EntityManager, organizationId: string, limits: BlockLimits, subjects: Subject[]): Promise<Set<BlockKind>> {
  const rules = ruleCte(limits);
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
    [...rules.params, ...subjects.flatMap((subject) => [organizationId, ...subject])]);
  return new Set(rows.map((r) => r.kind));
}

/** Gives back the slots of an attempt that was not evaluated (or succeeded: `clearUser`). */
export async function release(em: EntityManager, organizationId: string, subjects: Subject[], clearUser: boolean) {
  if (!subjects.length) return;
  await em.execute(
    `update login_throttle t set in_flight = greatest(${LIVE} - 1, 0)${clearUser ? `, failures = case when t.kind = 'user' then 0 else t.failures end` : ''}
     where ${matching(subjects)}`,
    [organizationId, ...subjects.flat()]);
}

/** Turns the slots into failures, blocking each subject that reaches its limit; answers the block's seconds, if any. */
export async function fail(em: EntityManager, organizationId: string, limits: BlockLimits, subjects: Subject[]): Promise<number | null> {
  const rules = ruleCte(limits);
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
    [...rules.params, organizationId, ...subjects.flat()]);
  const seconds = rows.map((r) => r.seconds).filter((s): s is number => s !== null);
  return seconds.length ? Math.max(1, ...seconds) : null;
}

export interface BlockRecord {
  subject: string; blocked_at: string | Date; block_seconds: number; blocked_until: string | Date; person_id: string | null; total: string;
}

/** Active blocks of one kind, a page at a time, and how many there are; user blocks only for usernames that exist. */
export async function findActiveBlocks(em: EntityManager, organizationId: string, kind: BlockKind,
  page: { offset: number; limit: number; direction: 'ASC' | 'DESC' }): Promise<{ rows: BlockRecord[]; totalCount: number }> {
  const dir = page.direction === 'ASC' ? 'asc' : 'desc';
  const join = kind === 'user'
    ? `join handle h on h.organization_id = t.organization_id and h.type = 'username' and h.normalized = t.subject`
    : '';
  const rows = await em.execute<BlockRecord[]>(
    `select t.subject, t.blocked_at, t.block_seconds, t.blocked_until, ${kind === 'user' ? 'h.person_id' : 'null as person_id'},
            count(*) over () as total
     from login_throttle t ${join}
     where t.organization_id = ? and t.kind = ? and t.blocked_until > now()
     order by t.blocked_at ${dir}, t.id ${dir} limit ? offset ?`,
    [organizationId, kind, page.limit, page.offset],
  );
  let totalCount = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && page.offset > 0) {
    const [{ n }] = await em.execute<{ n: string }[]>(
      `select count(*) as n from login_throttle t ${join} where t.organization_id = ? and t.kind = ? and t.blocked_until > now()`,
      [organizationId, kind]);
    totalCount = Number(n);
  }
  return { rows, totalCount };
}

/** Removes an active block (counters and block level start over); false when there was none. */
export async function deleteActiveBlock(em: EntityManager, organizationId: string, kind: BlockKind, subject: string): Promise<boolean> {
  const removed = await em.execute<{ id: string }[]>(
    `delete from login_throttle where organization_id = ? and kind = ? and subject = ? and blocked_until > now() returning id`,
    [organizationId, kind, subject]);
  return removed.length > 0;
}
