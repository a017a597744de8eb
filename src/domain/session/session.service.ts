// Sessions, the one module that owns them: every sign-in (a ZKP login, the hosted password form)
// starts one; a browser signed in at the hosted login page holds it through a cookie; token issue
// and use are recorded on it (last access at most once a minute, so a busy session does not write
// per request); ending it revokes the tokens issued under it.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session, type AccessPoint } from './session.entity.ts';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';
import type { ClientInfo } from '../principal.ts';
import { NotFound } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import { findLiveSession, revokeSessionTokens } from '../oauth/oauth.queries.ts';
import {
  endLiveSessions, findLiveSessions, recordIssueOnLiveSession, recordLastAccess, type SessionMatch,
} from './session.queries.ts';

/** How long a session lives from its sign-in (tokens may be issued under it until then). */
export const SESSION_LIFETIME_SECONDS = 30 * 24 * 3600;
/** How long a browser stays signed in at the hosted login page: its cookie, and its session's end. */
export const BROWSER_SESSION_TTL_SECONDS = 8 * 3600;
export const LAST_ACCESS_EVERY_SECONDS = 60;

export const accessPoint = (client: ClientInfo, at = new Date()): AccessPoint =>
  ({ at: at.toISOString(), ip: client.ip, country: client.country, userAgent: client.userAgent });

export function startSession(em: EntityManager, org: Organization, person: Person, client: ClientInfo): Session {
  const now = new Date();
  return em.create(Session, {
    id: timeOrderedUuid(), organization: org, person, created: accessPoint(client, now),
    expiresAt: new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000),
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

/** Ends one of the person's sessions (`DELETE /user/me/sessions/{id}`), and with it its tokens. */
export async function endPersonSession(em: EntityManager, personId: string, sessionId: string): Promise<string> {
  const ended = isUuidShaped(sessionId) ? await endSessionsWhere(em, { id: sessionId, person: personId }) : [];
  if (!ended.length) throw new NotFound(`No live session with id "${sessionId.slice(0, 64)}"`);
  return ended[0];
}

// ---- browser sessions (the hosted login page's cookie) ----

/**
 * A session for a browser that signed in with the password form: the same `session` row a ZKP
 * login starts (so `GET /user/me/sessions` lists it), with the browser's cookie. Answers the
 * cookie secret (only its SHA-256 is stored) and the session.
 */
export async function openBrowserSession(em: EntityManager, organizationId: string, personId: string, client: ClientInfo) {
  const session = startSession(em, em.getReference(Organization, organizationId), em.getReference(Person, personId), client);
  const secret = attachBrowser(session);
  await em.flush();
  return { secret, session };
}

/**
 * Gives a browser a session started elsewhere (a ZKP login redeemed at /login/ticket): sets its
 * cookie hash and shortens its life to the browser's. Answers the cookie secret; call flush after.
 */
export function attachBrowser(session: Session): string {
  const secret = crypto.randomBytes(32).toString('base64url');
  session.cookieHash = sha256Hex(secret);
  const browserEnd = new Date(Date.now() + BROWSER_SESSION_TTL_SECONDS * 1000);
  if (session.expiresAt > browserEnd) session.expiresAt = browserEnd;
  return secret;
}

/** The live session a browser's cookie secret names, or null. */
export function sessionFromCookie(em: EntityManager, secret: string | undefined) {
  if (!secret || secret.length > 128) return Promise.resolve(null);
  return findLiveSession(em, sha256Hex(secret));
}

/** RP-initiated logout: ends the browser's session (and the one the ID token hint names), with their tokens. */
export async function endBrowserSession(em: EntityManager, secret: string | undefined, sid?: string) {
  if (secret && secret.length <= 128) await endSessionsWhere(em, { cookieHash: sha256Hex(secret) });
  if (sid && isUuidShaped(sid)) await endSessionsWhere(em, { id: sid });
}
