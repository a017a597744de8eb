// Data access for credentials and password-reset tokens. Rules live in credential.service.ts and totp.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Credential } from './credential.entity.ts';
import { PasswordReset } from './password-reset.entity.ts';

/** Credentials of many persons at once (for the DataLoader), oldest first. */
export const credentialsOfPersons = (em: EntityManager, personIds: readonly string[]) =>
  em.find(Credential, { person: { $in: [...personIds] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });

/** The person's credential of a type that a person holds at most one of (password, zkp). */
export const findCredentialOfType = (em: EntityManager, personId: string, type: 'password' | 'zkp') =>
  em.findOne(Credential, { person: personId, type });

/** The ZKP credential of the tenant's user with this (normalized) username, with its person, in one statement. */
export const findZkpCredentialByUsername = (em: EntityManager, organizationId: string, normalizedUsername: string) =>
  em.findOne(Credential, {
    organization: organizationId, type: 'zkp',
    person: { handles: { type: 'username', normalized: normalizedUsername } },
  }, { populate: ['person'] });

/** Deletes one of the person's credentials; answers how many went (0 or 1). */
export const deleteCredentialOf = (em: EntityManager, personId: string, id: string) =>
  em.nativeDelete(Credential, { id, person: personId });

export const deleteCredentialsOf = (em: EntityManager, personId: string) => em.nativeDelete(Credential, { person: personId });

/** Marks the person's unused reset tokens used. */
export async function voidResetTokens(em: EntityManager, personId: string): Promise<void> {
  await em.nativeUpdate(PasswordReset, { person: personId, usedAt: null }, { usedAt: new Date() });
}

export const findLiveResetToken = (em: EntityManager, tokenHash: string) =>
  em.findOne(PasswordReset, { tokenHash, usedAt: null, expiresAt: { $gt: new Date() } });

/** Marks a reset token used unless another request did first; true when this one did. */
export async function claimResetToken(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeUpdate(PasswordReset, { id, usedAt: null }, { usedAt: new Date() })) > 0;
}

/** Records a TOTP time step as used, if it is later than the last one used (guarded UPDATE). */
export async function useTotpStep(em: EntityManager, credentialId: string, step: number): Promise<boolean> {
  const used = await em.execute<{ id: string }[]>(
    `update credential set params = jsonb_set(coalesce(params, '{}'::jsonb), '{last_step}', to_jsonb(?::bigint)), last_used_at = now()
     where id = ? and coalesce((params->>'last_step')::bigint, -1) < ? returning id`,
    [step, credentialId, step]);
  return used.length === 1;
}

/** Replaces a sealed secret only if it is still `current` (a recovery code is used once). */
export async function replaceSecretIfUnchanged(em: EntityManager, credentialId: string, current: string, next: string): Promise<boolean> {
  const used = await em.execute<{ id: string }[]>(
    `update credential set secret = ?, last_used_at = now() where id = ? and secret = ? returning id`, [next, credentialId, current]);
  return used.length === 1;
}
