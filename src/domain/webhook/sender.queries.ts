// The sender's statements: fan events out to deliveries, claim due deliveries under a lease, record
// the outcome of an attempt. Each is one statement, so N processes coordinate through PostgreSQL.
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Creates a delivery for every webhook whose `event` trigger matches each event not fanned out
 * yet, and marks those events; events another process is fanning out are skipped.
 */
export async function fanOutEvents(em: EntityManager, batch: number): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `with claimed as (
       select id, organization_id, event_name from event_outbox where fanned_out_at is null
       order by created_at limit ? for update skip locked),
     queued as (
       insert into webhook_delivery (id, event_id, webhook_id, status, attempts, next_attempt_at, created_at)
       select gen_random_uuid(), c.id, w.id, 'pending', 0, now(), now()
       from claimed c join webhook w on w.organization_id = c.organization_id
       join webhook_trigger t on t.webhook_id = w.id and t.trigger_type = 'event' and t.trigger_name = c.event_name
       on conflict (event_id, webhook_id) do nothing)
     update event_outbox set fanned_out_at = now() where id in (select id from claimed) returning id`, [batch]);
  return rows.length;
}

export interface ClaimedDelivery {
  id: string; attempts: number; event_id: string; event_name: string; content: Record<string, unknown>;
  organization_id: string; webhook_id: string; target_url: string; custom_headers_sealed: string | null; timeout_ms: number;
}

/**
 * Takes up to `batch` due deliveries: counts the attempt and moves `next_attempt_at` past the
 * attempt's timeout plus `leaseMs`, so a process that dies mid-attempt leaves it to another after that.
 */
export function claimDueDeliveries(em: EntityManager, batch: number, defaultTimeoutMs: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return em.execute<ClaimedDelivery[]>(
    `with due as (
       select id from webhook_delivery where status = 'pending' and next_attempt_at <= now()
       order by next_attempt_at limit ? for update skip locked)
     update webhook_delivery d set attempts = d.attempts + 1, last_attempt_at = now(),
       next_attempt_at = now() + ((case when w.timeout_ms > 0 then w.timeout_ms else ? end) + ?) * interval '1 millisecond'
     from due, webhook w, event_outbox e
     where d.id = due.id and w.id = d.webhook_id and e.id = d.event_id
     returning d.id, d.attempts, e.id as event_id, e.event_name, e.content, e.organization_id,
       w.id as webhook_id, w.target_url, w.custom_headers_sealed, w.timeout_ms`,
    [batch, defaultTimeoutMs, leaseMs]);
}

/** Records a success; ignored when the lease was lost (another process counted a newer attempt). */
export async function markDelivered(em: EntityManager, id: string, attempts: number, status: number): Promise<void> {
  await em.execute(
    `update webhook_delivery set status = 'delivered', delivered_at = now(), next_attempt_at = null,
       last_status_code = ?, last_error = null where id = ? and attempts = ? and status = 'pending'`, [status, id, attempts]);
}

/** Records a failure: retried after `retryInMs`, or given up (`failed`) when null. */
export async function markAttemptFailed(em: EntityManager, id: string, attempts: number, error: string,
  status: number | null, retryInMs: number | null): Promise<void> {
  await em.execute(
    `update webhook_delivery set last_error = ?, last_status_code = ?,
       status = case when ?::int is null then 'failed' else 'pending' end,
       next_attempt_at = case when ?::int is null then null else now() + ?::int * interval '1 millisecond' end
     where id = ? and attempts = ? and status = 'pending'`,
    [error.slice(0, 500), status, retryInMs, retryInMs, retryInMs, id, attempts]);
}

/** The earliest time a pending delivery is due, to sleep until then. */
export async function nextDueAt(em: EntityManager): Promise<Date | null> {
  const [row] = await em.execute<{ at: Date | null }[]>(
    `select min(next_attempt_at) as at from webhook_delivery where status = 'pending'`);
  return row?.at ? new Date(row.at) : null;
}

/**
 * Forgets events fanned out more than `days` ago whose deliveries are all settled (their
 * deliveries go with them); pending ones stay until delivered or given up.
 */
export async function purgeSettledEvents(em: EntityManager, days: number): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `delete from event_outbox e where e.fanned_out_at < now() - ? * interval '1 day'
       and not exists (select 1 from webhook_delivery d where d.event_id = e.id and d.status = 'pending')
     returning e.id`, [days]);
  return rows.length;
}
