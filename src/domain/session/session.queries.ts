// Data access for sessions. Rules live in session.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session, type AccessPoint } from './session.entity.ts';

/** Records a token issue on a live session; false when it has ended or expired. */
export async function recordIssueOnLiveSession(em: EntityManager, sessionId: string, at: AccessPoint): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update session set token_issue = ? where id = ? and ended_at is null and expires_at > now() returning id`,
    [JSON.stringify(at), sessionId]);
  return rows.length === 1;
}

/** Records the last access unless one was recorded less than `everySeconds` ago (one guarded UPDATE). */
export async function recordLastAccess(em: EntityManager, sessionId: string, at: AccessPoint, everySeconds: number): Promise<void> {
  await em.execute(
    `update session set last_access = ?, last_access_at = now()
     where id = ? and ended_at is null
       and (last_access_at is null or last_access_at < now() - make_interval(secs => ?))`,
    [JSON.stringify(at), sessionId, everySeconds]);
}

/** The person's live sessions, newest first. */
export function findLiveSessions(em: EntityManager, personId: string): Promise<Session[]> {
  return em.find(Session, { person: personId, endedAt: null, expiresAt: { $gt: new Date() } },
    { orderBy: { createdAt: 'desc', id: 'desc' } });
}

export interface SessionMatch { id?: string; cookieHash?: string; person?: string; exceptId?: string }

/** Sets `ended_at` on the live sessions matching every given field; answers their ids. */
export async function endLiveSessions(em: EntityManager, where: SessionMatch): Promise<string[]> {
  const clauses = ['ended_at is null'];
  const params: unknown[] = [];
  if (where.id !== undefined) { clauses.push('id = ?'); params.push(where.id); }
  if (where.cookieHash !== undefined) { clauses.push('cookie_hash = ?'); params.push(where.cookieHash); }
  if (where.person !== undefined) { clauses.push('person_id = ?'); params.push(where.person); }
  if (where.exceptId !== undefined) { clauses.push('id <> ?'); params.push(where.exceptId); }
  const rows = await em.execute<{ id: string }[]>(
    `update session set ended_at = now() where ${clauses.join(' and ')} returning id`, params);
  return rows.map((r) => r.id);
}
