// Data access for the outbox. Rules (what is sent, how often it is tried) live in outbox.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface PendingMail { id: string; template: string; recipient: string; payload: Record<string, unknown> }

/** Locks up to `batch` unsent messages tried fewer than `maxAttempts` times; others' locks are skipped. */
export function claimPendingMail(tx: EntityManager, maxAttempts: number, batch: number): Promise<PendingMail[]> {
  return tx.execute<PendingMail[]>(
    `select id, template, recipient, payload from outbox_message
     where sent_at is null and attempts < ? order by id limit ? for update skip locked`,
    [maxAttempts, batch]);
}

/** Marks a message sent and clears its payload (the mail held a secret link). */
export async function markMailSent(tx: EntityManager, id: string): Promise<void> {
  await tx.execute(`update outbox_message set sent_at = now(), payload = null, attempts = attempts + 1 where id = ?`, [id]);
}

export async function countFailedAttempt(tx: EntityManager, id: string): Promise<void> {
  await tx.execute(`update outbox_message set attempts = attempts + 1 where id = ?`, [id]);
}
