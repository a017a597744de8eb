// Data access for sign-in: challenges, login tickets, reset codes. Rules live in zkp-login.service.ts
// and password-reset.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Removes challenges and reset codes long past their expiry. */
export async function deleteExpiredLoginRows(em: EntityManager): Promise<void> {
  await em.execute(`delete from zkp_challenge where expires_at < now() - interval '1 hour'`);
  await em.execute(`delete from password_reset_code where expires_at < now() - interval '1 day'`);
}

/** A statement that finds nothing: an unusable id costs a round trip like a real lookup. */
export async function roundTrip(em: EntityManager): Promise<void> {
  await em.execute('select 1');
}

export interface UsedChallenge { username: string; nonce: string; live: boolean; commitment: string | null }

/** Marks the tenant's challenge used, once; answers it (and whether it was still live) or undefined. */
export async function useChallenge(em: EntityManager, organizationId: string, id: string): Promise<UsedChallenge | undefined> {
  const rows = await em.execute<UsedChallenge[]>(
    `update zkp_challenge set used_at = now() where id = ? and organization_id = ? and used_at is null
     returning username, nonce, commitment, expires_at > now() as live`,
    [id, organizationId]);
  return rows[0];
}

export interface UsedTicket {
  id: string; person_id: string; session_id: string; auth_req_id: string | null; organization_id: string; need_verify: boolean;
}

/** Marks an unused, unexpired login ticket used, once; answers it or undefined. */
export async function useLoginTicket(em: EntityManager, ticketHash: string): Promise<UsedTicket | undefined> {
  const rows = await em.execute<UsedTicket[]>(
    `update login_ticket set used_at = now() where ticket_hash = ? and used_at is null and expires_at > now()
     returning id, person_id, session_id, auth_req_id, organization_id, need_verify`,
    [ticketHash]);
  return rows[0];
}

/** Marks the person's unused reset codes used. */
export async function voidResetCodes(em: EntityManager, personId: string): Promise<void> {
  await em.execute(`update password_reset_code set used_at = now() where person_id = ? and used_at is null`, [personId]);
}

/** Marks a live reset code used, once; true when this call did (the person must match, else nothing happens). */
export async function useResetCode(em: EntityManager, codeHash: string, organizationId: string, personId: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update password_reset_code set used_at = now()
     where code_hash = ? and organization_id = ? and person_id = ? and used_at is null and expires_at > now()
     returning id`,
    [codeHash, organizationId, personId]);
  return rows.length > 0;
}
