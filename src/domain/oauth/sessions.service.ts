// Sign-in at the hosted login page: handle + password (argon2id PHC in the password credential,
// rehashed when weaker), and the browser sessions (the `session` table of every login method)
// that let a browser skip the form next time.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Credential } from '../credential/credential.entity.ts';
import { Person } from '../person/person.entity.ts';
import { Organization } from '../organization/organization.entity.ts';
import { findHandleOwner, findHandlesOfPersons } from '../person/person.queries.ts';
import { throttledAttempt } from '../login/throttle.service.ts';
import { RateLimited } from '../errors.ts';
import { hashPassword, verifyPassword } from '../../crypto/password.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import { Session } from '../session/session.entity.ts';
import { endSessionsWhere, startSession } from '../session/session.service.ts';
import { findLiveSession } from './oauth.queries.ts';
import { isUuidShaped } from '../ids.ts';
import { UNKNOWN_CLIENT, type ClientInfo } from '../principal.ts';
import type { HandleInput } from '../../graphql/generated/types.ts';

/** How long a browser stays signed in at the hosted login page. */
export const SESSION_TTL_SECONDS = 8 * 3600;

// A real argon2id hash of a random password: unknown handles cost the same time as wrong passwords.
let dummyHash: Promise<string> | undefined;

export function handleOf(raw: string): HandleInput {
  const value = raw.trim();
  if (value.includes('@')) return { type: 'email_address', value };
  if (/^\+[0-9 ()-]+$/.test(value)) return { type: 'phone_number', value: value.replace(/[ ()-]/g, '') };
  return { type: 'username', value };
}

/**
 * `blocked`: the IP or user is blocked (Retry-After `retryAfterSeconds`); `checked` with it: this
 * password was checked and was wrong, and its failure (or one in parallel) started the block.
 */
export type PasswordLoginResult = { person: Person } | { person: null; blocked?: boolean; checked?: boolean; retryAfterSeconds?: number };

/**
 * The person whose handle and password these are, in this organization; null otherwise. Applies
 * the tenant's brute-force blocking (block_config, `login_throttle`) shared with the ZKP login:
 * attempts count per client IP and per user (its username when the handle is known, so a
 * password and a ZKP attempt count alike; else the handle as typed), and the password is checked
 * only when both admit the attempt (throttle.service.ts).
 */
export async function verifyPasswordLogin(
  em: EntityManager, organizationId: string, handle: string, password: string, client: ClientInfo = UNKNOWN_CLIENT,
): Promise<PasswordLoginResult> {
  if (!handle || handle.length > 320 || !password || password.length > 1024) return { person: null };
  const org = await em.findOneOrFail(Organization, { id: organizationId });
  const owner = await findHandleOwner(em, organizationId, handleOf(handle));
  const username = owner ? (await findHandlesOfPersons(em, [owner.id])).find((h) => h.type === 'username')?.value : undefined;
  const subject = (username ?? handle.trim()).slice(0, 320);
  try {
    const attempt = await throttledAttempt(em, org, client.ip, subject,
      async () => (await checkPassword(em, owner?.id ?? null, password)).person);
    if (attempt.value) return { person: attempt.value };
    return attempt.blockedForSeconds === null ? { person: null }
      : { person: null, blocked: true, checked: true, retryAfterSeconds: attempt.blockedForSeconds };
  } catch (error) {
    if (error instanceof RateLimited) return { person: null, blocked: true, retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
}

async function checkPassword(em: EntityManager, ownerId: string | null, password: string): Promise<PasswordLoginResult> {
  const credential = ownerId
    ? await em.findOne(Credential, { person: ownerId, type: 'password' }, { orderBy: { createdAt: 'desc' } })
    : null;
  if (!ownerId || !credential?.secret) {
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    await verifyPassword(await dummyHash, password);
    return { person: null };
  }
  const check = await verifyPassword(credential.secret, password);
  if (!check.ok) return { person: null };
  const person = await em.findOne(Person, { id: ownerId, active: true });
  if (!person) return { person: null };
  if (check.needsRehash) credential.secret = await hashPassword(password);
  credential.lastUsedAt = new Date();
  await em.flush();
  return { person };
}

/**
 * A browser session for a password sign-in: the same `session` row a ZKP login starts (so
 * `GET /user/me/sessions` lists it), with the browser's cookie. The returned secret goes in the
 * cookie; only its SHA-256 is stored.
 */
export async function openSession(em: EntityManager, organizationId: string, personId: string, client: ClientInfo) {
  const org = await em.findOneOrFail(Organization, { id: organizationId });
  const person = await em.findOneOrFail(Person, { id: personId });
  const session = startSession(em, org, person, client);
  const secret = attachBrowser(session);
  await em.flush();
  return { secret, session };
}

/**
 * Gives a browser a session started elsewhere (a ZKP login redeemed at /login/ticket): sets its
 * cookie hash and the browser lifetime. Answers the cookie secret; call flush after.
 */
export function attachBrowser(session: Session): string {
  const secret = crypto.randomBytes(32).toString('base64url');
  session.cookieHash = sha256Hex(secret);
  const browserEnd = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  if (session.expiresAt > browserEnd) session.expiresAt = browserEnd;
  return secret;
}

export function sessionFromCookie(em: EntityManager, secret: string | undefined) {
  if (!secret || secret.length > 128) return Promise.resolve(null);
  return findLiveSession(em, sha256Hex(secret));
}

/** RP-initiated logout: ends the browser's session (and the one the ID token hint names), with their tokens. */
export async function endSession(em: EntityManager, secret: string | undefined, sid?: string) {
  if (secret && secret.length <= 128) await endSessionsWhere(em, { cookieHash: sha256Hex(secret) });
  if (sid && isUuidShaped(sid)) await endSessionsWhere(em, { id: sid });
}
