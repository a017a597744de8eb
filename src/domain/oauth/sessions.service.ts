// Sign-in at the hosted login page: handle + password (argon2id PHC in the password credential,
// rehashed when weaker), and the browser sessions (the `session` table of every login method)
// that let a browser skip the form next time.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Credential } from '../credential/credential.entity.ts';
import { Person } from '../person/person.entity.ts';
import { Organization } from '../organization/organization.entity.ts';
import { defaultBlockConfig } from '../organization/tenant-settings.ts';
import { findHandleOwner } from '../person/person.queries.ts';
import { hashPassword, verifyPassword } from '../../crypto/password.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import { Session } from '../session/session.entity.ts';
import { endSessionsWhere, startSession } from '../session/session.service.ts';
import { findLiveSession } from './oauth.queries.ts';
import { isUuidShaped } from '../ids.ts';
import type { ClientInfo } from '../principal.ts';
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

interface Lockout { failures: number; windowStart: number; blockedUntil?: number }

export type PasswordLoginResult = { person: Person } | { person: null; blocked?: boolean };

/**
 * Failed passwords per credential, under the tenant's block_config: more than userAttemptsLimit
 * failures within userTimeframeSeconds block the password for initialBlockSeconds.
 */
function lockoutOf(credential: Credential): Lockout {
  return (credential.params?.lockout as Lockout | undefined) ?? { failures: 0, windowStart: 0 };
}

function setLockout(credential: Credential, lockout: Lockout | undefined) {
  const params = { ...(credential.params ?? {}) };
  if (lockout) params.lockout = lockout;
  else delete params.lockout;
  credential.params = params;
}

/** The person whose handle and password these are, in this organization; null otherwise. */
export async function verifyPasswordLogin(
  em: EntityManager, organizationId: string, handle: string, password: string,
): Promise<PasswordLoginResult> {
  return checkPassword(em, organizationId, handle, password);
}

async function checkPassword(
  em: EntityManager, organizationId: string, handle: string, password: string,
): Promise<PasswordLoginResult> {
  if (!handle || handle.length > 320 || !password || password.length > 1024) return { person: null };
  const owner = await findHandleOwner(em, organizationId, handleOf(handle));
  const credential = owner
    ? await em.findOne(Credential, { person: owner.id, type: 'password' }, { orderBy: { createdAt: 'desc' } })
    : null;
  if (!owner || !credential?.secret) {
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    await verifyPassword(await dummyHash, password);
    return { person: null };
  }
  const now = Date.now();
  const lockout = lockoutOf(credential);
  if (lockout.blockedUntil && lockout.blockedUntil > now) return { person: null, blocked: true };
  const check = await verifyPassword(credential.secret, password);
  if (!check.ok) {
    const organization = await em.findOneOrFail(Organization, { id: organizationId });
    const rules = organization.tenantSettings.blockConfig ?? defaultBlockConfig;
    const fresh = now - lockout.windowStart > rules.userTimeframeSeconds * 1000;
    const next: Lockout = { failures: fresh ? 1 : lockout.failures + 1, windowStart: fresh ? now : lockout.windowStart };
    if (next.failures >= rules.userAttemptsLimit) next.blockedUntil = now + rules.initialBlockSeconds * 1000;
    setLockout(credential, next);
    await em.flush();
    return { person: null, blocked: !!next.blockedUntil };
  }
  const person = await em.findOne(Person, { id: owner.id, active: true });
  if (!person) return { person: null };
  if (check.needsRehash) credential.secret = await hashPassword(password);
  if (credential.params?.lockout) setLockout(credential, undefined);
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
