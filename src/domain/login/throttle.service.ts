// Brute-force blocking (tenant block_config). Failures count per client IP and per username in
// PostgreSQL with single atomic statements, so any number of server processes agree. Reaching
// the limit within the window blocks the subject for initial_block_seconds × 2^level, capped
// at max_block_time_minutes; the level drops back after a quiet window or an admin's lift.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';
import { defaultBlockConfig } from '../organization/tenant-settings.ts';
import { NotFound, RateLimited } from '../errors.ts';
import { normalizeUsername } from '../../zkp/protocol.ts';

export type BlockKind = 'ip' | 'user';

interface Rule { limit: number; windowSeconds: number }

function rulesOf(org: Organization) {
  const c = { ...defaultBlockConfig, ...org.tenantSettings.blockConfig };
  return {
    ip: { limit: c.ipAttemptsLimit, windowSeconds: c.ipAttemptsResetMinutes * 60 } as Rule,
    user: { limit: c.userAttemptsLimit, windowSeconds: c.userTimeframeSeconds } as Rule,
    initialSeconds: c.initialBlockSeconds,
    maxSeconds: c.maxBlockTimeMinutes * 60,
  };
}

function subjectsOf(ip: string | null, username: string): [BlockKind, string][] {
  const subjects: [BlockKind, string][] = [['user', normalizeUsername(username).slice(0, 128)]];
  if (ip) subjects.unshift(['ip', ip]);
  return subjects;
}

/**
 * Throws RATE_LIMITED (429 with Retry-After) when the IP or the username is blocked now; else
 * answers the username's current failure count (so a success resets it only when needed).
 */
export async function assertNotBlocked(em: EntityManager, org: Organization, ip: string | null, username: string): Promise<number> {
  const subjects = subjectsOf(ip, username);
  const rows = await em.execute<{ seconds: number | null; user_failures: number | null }[]>(
    `select ceil(extract(epoch from max(blocked_until) filter (where blocked_until > now()) - now()))::int as seconds,
            max(failures) filter (where kind = 'user')::int as user_failures
     from login_throttle
     where organization_id = ? and (${subjects.map(() => '(kind = ? and subject = ?)').join(' or ')})`,
    [org.id, ...subjects.flat()],
  );
  const seconds = rows[0]?.seconds;
  if (seconds != null) {
    throw new RateLimited('Too many failed logins; try again later', Math.max(1, seconds));
  }
  return rows[0]?.user_failures ?? 0;
}

async function countFailure(em: EntityManager, org: Organization, kind: BlockKind, subject: string, rule: Rule,
  initialSeconds: number, maxSeconds: number) {
  const [row] = await em.execute<{ failures: number }[]>(
    `insert into login_throttle as t (organization_id, kind, subject, failures, window_started_at, block_level)
     values (?, ?, ?, 1, now(), 0)
     on conflict (organization_id, kind, subject) do update set
       block_level = case when t.blocked_until is not null and t.blocked_until < now() - make_interval(secs => ?)
                          then 0 else t.block_level end,
       failures = case when t.window_started_at < now() - make_interval(secs => ?) then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at < now() - make_interval(secs => ?) then now() else t.window_started_at end
     returning failures`,
    [org.id, kind, subject, rule.windowSeconds, rule.windowSeconds, rule.windowSeconds],
  );
  if (row.failures < rule.limit) return;
  // Only one process wins this guarded update: the others see failures reset or a live block.
  await em.execute(
    `update login_throttle set
       block_seconds = s.seconds, blocked_at = now(), blocked_until = now() + make_interval(secs => s.seconds),
       block_level = block_level + 1, failures = 0, window_started_at = now()
     from (select least(?::numeric * power(2::numeric, least(block_level, 40)), ?::numeric)::int as seconds
           from login_throttle where organization_id = ? and kind = ? and subject = ?) s
     where organization_id = ? and kind = ? and subject = ? and failures >= ?
       and (blocked_until is null or blocked_until <= now())`,
    [initialSeconds, maxSeconds, org.id, kind, subject, org.id, kind, subject, rule.limit],
  );
}

export async function recordFailedLogin(em: EntityManager, org: Organization, ip: string | null, username: string) {
  const rules = rulesOf(org);
  for (const [kind, subject] of subjectsOf(ip, username)) {
    await countFailure(em, org, kind, subject, rules[kind], rules.initialSeconds, rules.maxSeconds);
  }
}

/** A successful login clears the username's failure count (not the IP's, nor a block level). */
export async function recordSuccessfulLogin(em: EntityManager, org: Organization, username: string) {
  await em.execute(`update login_throttle set failures = 0 where organization_id = ? and kind = 'user' and subject = ? and failures > 0`,
    [org.id, normalizeUsername(username)]);
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
    [org.id, kind, kind === 'user' ? normalizeUsername(subject) : subject]);
  if (!removed.length) throw new NotFound(`No active block on this ${kind === 'ip' ? 'IP address' : 'user'}`);
  return true;
}
