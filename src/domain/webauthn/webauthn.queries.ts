// Data access for passkeys: ceremony challenges and public-key credentials. Rules live in
// webauthn.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Credential } from '../credential/credential.entity.ts';

export interface UsedWebauthnChallenge { person_id: string | null; auth_req_id: string | null; live: boolean }

/**
 * Marks the tenant's challenge of this purpose used, once (one UPDATE: of parallel verifies naming
 * it, one gets the row); answers it, with whether it was still live, or undefined.
 */
export async function useWebauthnChallenge(em: EntityManager, organizationId: string, purpose: 'register' | 'authenticate',
  challenge: string): Promise<UsedWebauthnChallenge | undefined> {
  const rows = await em.execute<UsedWebauthnChallenge[]>(
    `update webauthn_challenge set used_at = now()
     where challenge = ? and organization_id = ? and purpose = ? and used_at is null
     returning person_id, auth_req_id, expires_at > now() as live`,
    [challenge, organizationId, purpose]);
  return rows[0];
}

/** Removes challenges an hour past their expiry. */
export async function deleteExpiredWebauthnChallenges(em: EntityManager): Promise<void> {
  await em.execute(`delete from webauthn_challenge where expires_at < now() - interval '1 hour'`);
}

/** The tenant's passkey with this WebAuthn credential id (base64url), with its person. */
/**
 * A passkey of a person of the person pool owned by `personsOwnerId` (registered through any
 * organization of the pool: a pooled person signs in with it everywhere).
 */
export const findPasskeyByWebauthnId = (em: EntityManager, personsOwnerId: string, webauthnId: string) =>
  em.findOne(Credential, {
    person: { organization: personsOwnerId }, type: 'public-key', params: { webauthn_credential_id: webauthnId },
  } as never, { populate: ['person'] });

/** The person's passkeys, oldest first. */
export const passkeysOfPerson = (em: EntityManager, personId: string) =>
  em.find(Credential, { person: personId, type: 'public-key' }, { orderBy: { createdAt: 'asc', id: 'asc' } });

/** One of the person's passkeys by the credential's id (a UUID). */
export const findPasskeyOfPerson = (em: EntityManager, personId: string, id: string) =>
  em.findOne(Credential, { id, person: personId, type: 'public-key' });

/** Deletes one of the person's passkeys; answers how many went (0 or 1). */
export const deletePasskeyOf = (em: EntityManager, personId: string, id: string) =>
  em.nativeDelete(Credential, { id, person: personId, type: 'public-key' });

/**
 * Records a sign-in with the passkey if its signature counter moved forward (or both the stored
 * and the new counter are 0: an authenticator without a counter). One guarded UPDATE, so two
 * parallel sign-ins with the same counter cannot both pass; false means a regression (a cloned
 * authenticator, or a replay that lost the race).
 */
export async function recordPasskeyUse(em: EntityManager, id: string, counter: number, backedUp: boolean,
  lastUse: Record<string, unknown>): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update credential
     set params = params || jsonb_build_object('counter', ?::bigint, 'backed_up', ?::boolean, 'last_use', ?::jsonb),
         last_used_at = now()
     where id = ? and type = 'public-key'
       and (coalesce((params->>'counter')::bigint, 0) < ? or (? = 0 and coalesce((params->>'counter')::bigint, 0) = 0))
     returning id`,
    [counter, backedUp, JSON.stringify(lastUse), id, counter, counter]);
  return rows.length === 1;
}
