// Sessions: a successful login starts one; token issue and use are recorded on it (last access
// at most once a minute, so a busy session does not write per request).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session, type AccessPoint } from './session.entity.ts';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import type { ClientInfo } from '../principal.ts';
import { NotFound } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import { revokeSessionTokens } from '../oauth/oauth.queries.ts';
import {
  endLiveSessions, findLiveSessions, recordIssueOnLiveSession, recordLastAccess, type SessionMatch,
} from './session.queries.ts';

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

/**
 * Called by the token endpoint when it issues tokens for the session; false when the session
 * has ended or expired (then no token may be issued under it).
 */
export const recordTokenIssue = (em: EntityManager, sessionId: string, client: ClientInfo): Promise<boolean> =>
  recordIssueOnLiveSession(em, sessionId, accessPoint(client));

/** Records a use of the session, at most once per LAST_ACCESS_EVERY_SECONDS (one guarded UPDATE). */
export const touchSession = (em: EntityManager, sessionId: string, client: ClientInfo): Promise<void> =>
  recordLastAccess(em, sessionId, accessPoint(client), LAST_ACCESS_EVERY_SECONDS);

/** The person's live sessions, newest first. */
export const listSessions = (em: EntityManager, personId: string): Promise<Session[]> => findLiveSessions(em, personId);

/**
 * Ends the live sessions matching `where` and revokes every token issued under them (their
 * `sid`): a refresh token dies with its session. Answers the ids of the ended sessions.
 */
export async function endSessionsWhere(em: EntityManager, where: SessionMatch): Promise<string[]> {
  const subjects = [where.id, where.cookieHash, where.person].filter((v) => v !== undefined);
  if (subjects.length === 0) throw new Error('endSessionsWhere needs a subject');
  const ids = await endLiveSessions(em, where);
  await revokeSessionTokens(em, ids);
  return ids;
}

/** Ends one of the person's sessions, and with it the tokens issued under it. */
export async function endSession(em: EntityManager, personId: string, sessionId: string): Promise<string> {
  const ended = isUuidShaped(sessionId) ? await endSessionsWhere(em, { id: sessionId, person: personId }) : [];
  if (!ended.length) throw new NotFound(`No live session with id "${sessionId.slice(0, 64)}"`);
  return ended[0];
}
