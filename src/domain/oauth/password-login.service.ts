// Sign-in at the hosted login page with handle + password (argon2id PHC in the password
// credential, rehashed when weaker). The browser session it opens belongs to the session module
// (src/domain/session/session.service.ts).
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Person } from '../person/person.entity.ts';
import { findHandleOwner, findHandlesOfPersons } from '../person/person.queries.ts';
import { throttledAttempt } from '../login/throttle.service.ts';
import { RateLimited } from '../errors.ts';
import { hashPassword, verifyPassword } from '../../crypto/password.ts';
import { findActivePerson, findOrganization, findPasswordCredential } from './oauth.queries.ts';
import { UNKNOWN_CLIENT, type ClientInfo } from '../principal.ts';
import type { HandleInput } from '../schema-types.generated.ts';
import { emitAuthenticationEvent } from '../webhook/events.ts';

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
  const org = await findOrganization(em, organizationId);
  const owner = await findHandleOwner(em, organizationId, handleOf(handle));
  const username = owner ? (await findHandlesOfPersons(em, [owner.id])).find((h) => h.type === 'username')?.value : undefined;
  const subject = (username ?? handle.trim()).slice(0, 320);
  try {
    const attempt = await throttledAttempt(em, org, client.ip, subject,
      async () => (await checkPassword(em, owner?.id ?? null, password)).person);
    const parsed = handleOf(handle);
    await emitAuthenticationEvent(em, organizationId, attempt.value !== null, {
      person_id: attempt.value?.id ?? null, authentication_method: 'password', handle: { type: parsed.type, value: parsed.value.slice(0, 320) },
      ...(attempt.value ? {} : { failure_reason: 'invalid_credentials' }),
    });
    if (attempt.value) return { person: attempt.value };
    return attempt.blockedForSeconds === null ? { person: null }
      : { person: null, blocked: true, checked: true, retryAfterSeconds: attempt.blockedForSeconds };
  } catch (error) {
    if (error instanceof RateLimited) return { person: null, blocked: true, retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
}

async function checkPassword(em: EntityManager, ownerId: string | null, password: string): Promise<PasswordLoginResult> {
  const credential = ownerId ? await findPasswordCredential(em, ownerId) : null;
  if (!ownerId || !credential?.secret) {
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    await verifyPassword(await dummyHash, password);
    return { person: null };
  }
  const check = await verifyPassword(credential.secret, password);
  if (!check.ok) return { person: null };
  const person = await findActivePerson(em, ownerId);
  if (!person) return { person: null };
  if (check.needsRehash) credential.secret = await hashPassword(password);
  credential.lastUsedAt = new Date();
  await em.flush();
  return { person };
}
