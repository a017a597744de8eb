// Rules for a person's credentials. Secrets stay in `secret`; `params` holds public facts only. A
// password's hash leaves the domain only as its organization's export (exportedPasswordHash).
// Reset tokens are single-use, expiring, stored hashed.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { Credential } from './credential.entity.ts';
import { PasswordReset } from './password-reset.entity.ts';
import { Conflict, NotFound, ValidationFailed } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import { hashPassword, schemeOf } from '../../crypto/password.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import { normalizeHandle } from '../person/handles.ts';
import type { HandleInput } from '../schema-types.generated.ts';
import type { Sealer } from '../../crypto/sealed.ts';
import { importTotp, unusedRecoveryCodes } from './totp.ts';
import {
  claimResetToken, credentialsOfPersons, deleteCredentialOf, deleteCredentialsOf, findCredentialOfType, findLiveResetToken,
  voidResetTokens,
} from './credential.queries.ts';
import { emitEvent } from '../webhook/events.ts';
import { flushOrConflict } from '../unique-flush.ts';
import { issueSingleUse } from '../single-use.ts';

export const RESET_TTL_MS = 60 * 60 * 1000;
export const MAX_LABEL = 255;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertLabel(label: string | null | undefined) {
  if (label != null && label.length > MAX_LABEL) throw new ValidationFailed(`label must be at most ${MAX_LABEL} characters`);
}

function assertPhc(hash: unknown): asserts hash is string {
  if (typeof hash !== 'string' || hash.length > 1024 || !schemeOf(hash)) {
    throw new ValidationFailed('password_hash must be a PHC string: $argon2id$, $argon2i$, $2a$/$2b$/$2y$ (bcrypt) or $pbkdf2-sha256$');
  }
}

/**
 * Public facts of a credential, by type; nothing secret. A passkey's public key is public by
 * nature; of a TOTP credential, the settings and the number of unused recovery codes (unsealed to
 * count them; never the codes nor the seed, nor the last time step).
 */
export function publicParams(credential: Credential, sealer?: Sealer): Record<string, unknown> {
  const params = credential.params ?? {};
  if (credential.type === 'public-key') {
    const { webauthn_credential_id, public_key, attestation_type, authenticator } = params as Record<string, unknown>;
    return Object.fromEntries(Object.entries({ webauthn_credential_id, public_key, attestation_type, authenticator })
      .filter(([, v]) => v !== undefined));
  }
  if (credential.type === 'totp') {
    const { issuer, account_name, algorithm, digits, period, recovery_codes_total } = params as Record<string, unknown>;
    const unused = sealer ? { recovery_codes_unused: unusedRecoveryCodes(sealer, credential) } : {};
    return { issuer, account_name, algorithm, digits, period, recovery_codes_total, ...unused };
  }
  return {};
}

/** The PHC hash of a password credential (exported to its organization), else null. */
export const exportedPasswordHash = (credential: Credential) => (credential.type === 'password' ? credential.secret ?? null : null);

/** `sealer` is needed for totp (its seed is sealed under the master key). */
export async function createCredential(
  em: EntityManager, org: Organization, person: Person, type: string, label: string | null | undefined, params: unknown,
  sealer?: Sealer,
) {
  assertLabel(label);
  if (!isObject(params)) throw new ValidationFailed('params must be an object');
  if (type === 'password') {
    assertPhc(params.password_hash);
    return em.create(Credential, {
      id: timeOrderedUuid(), organization: org, person, type, label: label ?? null, secret: params.password_hash, params: null,
    });
  }
  if (type === 'public-key') {
    const { webauthn_credential_id: credentialId, public_key: publicKey, attestation_type, authenticator } = params;
    if (typeof credentialId !== 'string' || !credentialId || credentialId.length > 1024) {
      throw new ValidationFailed('params.webauthn_credential_id must be a non-empty string');
    }
    if (typeof publicKey !== 'string' || !publicKey || publicKey.length > 4096) {
      throw new ValidationFailed('params.public_key must be a non-empty string');
    }
    return em.create(Credential, {
      id: timeOrderedUuid(), organization: org, person, type, label: label ?? null, secret: null,
      params: { webauthn_credential_id: credentialId, public_key: publicKey, attestation_type, authenticator },
    });
  }
  if (type === 'totp') {
    if (!sealer) throw new ValidationFailed('totp credentials cannot be imported here');
    const id = timeOrderedUuid();
    const { secret, params: publicFacts } = importTotp(sealer, id, params);
    return em.create(Credential, { id, organization: org, person, type, label: label ?? null, secret, params: publicFacts });
  }
  throw new ValidationFailed('type must be password, public-key or totp');
}

export async function addCredential(
  em: EntityManager, org: Organization, person: Person, type: string, label: string | null | undefined, params: unknown,
  sealer?: Sealer,
) {
  const credential = await createCredential(em, org, person, type, label, params, sealer);
  await flushOrConflict(em, 'The organization already holds a public-key credential with this webauthn_credential_id');
  return credential;
}

export const listCredentials = (em: EntityManager, personIds: readonly string[]) => credentialsOfPersons(em, personIds);

export async function deleteCredential(em: EntityManager, person: Person, id: string) {
  const deleted = isUuidShaped(id) ? await deleteCredentialOf(em, person.id, id) : 0;
  if (!deleted) throw new NotFound(`The person has no credential with id "${id.slice(0, 64)}"`);
  return id;
}

export const deleteCredentials = (em: EntityManager, person: Person) => deleteCredentialsOf(em, person.id);

/** Creates or overwrites the password credential; `created` says which. */
export async function setPasswordHash(
  em: EntityManager, org: Organization, person: Person, passwordHash: string, label?: string | null,
) {
  assertPhc(passwordHash);
  assertLabel(label);
  const existing = await findCredentialOfType(em, person.id, 'password');
  if (existing) {
    existing.secret = passwordHash;
    if (label != null) existing.label = label;
    await em.flush();
    await emitEvent(em, org.id, 'PasswordChanged_v1', { person_id: person.id, credential_id: existing.id });
    return { created: false, credential: existing };
  }
  const credential = em.create(Credential, {
    id: timeOrderedUuid(), organization: org, person, type: 'password', label: label ?? null, secret: passwordHash, params: null,
  });
  await em.flush();
  await emitEvent(em, org.id, 'PasswordChanged_v1', { person_id: person.id, credential_id: credential.id });
  return { created: true, credential };
}

/** Records a fresh reset token (hashed); earlier unused ones stop working. Returns the token for delivery. */
export async function requestPasswordReset(
  em: EntityManager, person: Person, forceChange: boolean, resetHandle?: HandleInput | null,
) {
  if (resetHandle) {
    await person.handles.init();
    const normalized = normalizeHandle(resetHandle);
    if (!person.handles.getItems().some((h) => h.type === resetHandle.type && h.normalized === normalized)) {
      throw new ValidationFailed('reset_handle must be one of the person\'s handles');
    }
  }
  await voidResetTokens(em, person.id);
  const token = newSecretToken(32);
  await issueSingleUse(em, PasswordReset, { id: timeOrderedUuid(), person, tokenHash: sha256Hex(token), forceChange }, new Date(Date.now() + RESET_TTL_MS));
  return token;
}

/** Consumes a reset token once: valid, unexpired and unused, else null. */
export async function consumeResetToken(em: EntityManager, token: string) {
  const reset = await findLiveResetToken(em, sha256Hex(token));
  if (!reset) return null;
  return (await claimResetToken(em, reset.id)) ? reset : null;
}

export async function rotatePassword(em: EntityManager, org: Organization, person: Person) {
  const newPassword = newSecretToken(18);
  await setPasswordHash(em, org, person, await hashPassword(newPassword));
  return { newPassword };
}
