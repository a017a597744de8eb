// Sessions: a successful login starts one; token issue and use are recorded on it (last access
// at most once a minute, so a busy session does not write per request).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session, type AccessPoint } from './session.entity.ts';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import type { ClientInfo } from '../principal.ts';
import { NotFound } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;
export const LAST_ACCESS_EVERY_SECONDS = 60;

export const accessPoint = (client: ClientInfo, at = new Date()): AccessPoint =>
  ({ at: at.toISOString(), ip: client.ip, country: client.country, userAgent: client.userAgent });

export function startSession(em: EntityManager, org: Organization, person: Person, client: ClientInfo): Session {
  const now = new Date();
  return em.create(Session, {
    id: timeOrderedUuid(), organization: org, person, created: accessPoint(client, now),
    expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
  });
}

/** Called by the token endpoint when it issues tokens for the session. */
export async function recordTokenIssue(em: EntityManager, sessionId: string, client: ClientInfo): Promise<void> {
  await em.execute(`update session set token_issue = ? where id = ? and ended_at is null`,
    [JSON.stringify(accessPoint(client)), sessionId]);
}

/** Records a use of the session, at most once per LAST_ACCESS_EVERY_SECONDS (one guarded UPDATE). */
export async function touchSession(em: EntityManager, sessionId: string, client: ClientInfo): Promise<void> {
  await em.execute(
    `update session set last_access = ?, last_access_at = now()
     where id = ? and ended_at is null
       and (last_access_at is null or last_access_at < now() - make_interval(secs => ?))`,
    [JSON.stringify(accessPoint(client)), sessionId, LAST_ACCESS_EVERY_SECONDS]);
}

/** The person's live sessions, newest first. */
export function listSessions(em: EntityManager, personId: string): Promise<Session[]> {
  return em.find(Session, { person: personId, endedAt: null, expiresAt: { $gt: new Date() } },
    { orderBy: { createdAt: 'desc', id: 'desc' } });
}

/** Ends one of the person's sessions (the OIDC face revokes its refresh tokens with it). */
export async function endSession(em: EntityManager, personId: string, sessionId: string): Promise<string> {
  const session = isUuidShaped(sessionId)
    ? await em.findOne(Session, { id: sessionId, person: personId, endedAt: null })
    : null;
  if (!session) throw new NotFound(`No live session with id "${sessionId.slice(0, 64)}"`);
  session.endedAt = new Date();
  await em.flush();
  return session.id;
}
