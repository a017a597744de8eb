// A passkey is a credential of type `public-key` (src/domain/credential): SlashID's
// `/persons/{id}/credentials` lists the same rows. Its public facts live in `params`, under the
// names SlashID's export uses (webauthn_credential_id, public_key, attestation_type,
// authenticator) plus what sign-in needs (counter, transports, backup flags, last use).
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Credential } from '../credential/credential.entity.ts';
import type { Organization } from '../organization/organization.entity.ts';
import { Forbidden, ValidationFailed } from '../errors.ts';

export const MAX_PASSKEY_NAME = 255;
export const CHALLENGE_TTL_SECONDS = 300;

export interface PasskeyParams {
  webauthn_credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  attestation_type?: string;
  authenticator?: { aaguid?: string; attachment?: string | null };
  counter?: number;
  transports?: string[];
  backed_up?: boolean;
  device_type?: string;
  last_use?: { at: string; ip: string | null; country: string | null; userAgent: string | null } | null;
}

export const passkeyParams = (credential: Credential) => (credential.params ?? {}) as unknown as PasskeyParams;

/** A passkey as its owner sees it. */
export function passkeyView(credential: Credential) {
  const params = passkeyParams(credential);
  return {
    id: credential.id,
    name: credential.label,
    createdAt: credential.createdAt,
    lastUse: params.last_use ?? null,
    transports: params.transports ?? [],
    backedUp: params.backed_up ?? false,
    deviceType: params.device_type ?? null,
  };
}

export type PasskeyView = ReturnType<typeof passkeyView>;

export function assertPasskeysEnabled(org: Organization) {
  if (!org.tenantSettings.passkeyEnabled) {
    throw new Forbidden('This tenant does not allow passkeys; an administrator can turn on passkey_enabled in the tenant settings');
  }
}

export function assertPasskeyName(name: string | null | undefined, field = 'name') {
  if (name != null && (name.trim().length === 0 || name.length > MAX_PASSKEY_NAME)) {
    throw new ValidationFailed(`${field} must be 1 to ${MAX_PASSKEY_NAME} characters`, [
      { loc: ['body', field], msg: `must be 1 to ${MAX_PASSKEY_NAME} characters, not blank`, type: 'value_error' }]);
  }
}

/** The challenge a client's clientDataJSON carries (base64url JSON); null when it is not that. */
export function challengeOf(clientDataJson: string): string | null {
  try {
    if (clientDataJson.length > 8192 || !isoBase64URL.isBase64URL(clientDataJson)) return null;
    const parsed = JSON.parse(isoBase64URL.toUTF8String(clientDataJson)) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' && parsed.challenge.length <= 64 ? parsed.challenge : null;
  } catch {
    return null;
  }
}

/** The WebAuthn user handle of a person: its id's bytes. */
export const userHandleOf = (personId: string) => new TextEncoder().encode(personId);
