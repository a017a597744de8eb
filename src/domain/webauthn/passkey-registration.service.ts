// Registering and managing a person's own passkeys (the Secrets Vault face's /webauthn/register/*
// and /user/me/passkeys). @simplewebauthn/server checks the ceremony; the challenge is ours: issued
// here, consumed once by the verify that answers it.
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { Credential } from '../credential/credential.entity.ts';
import { BadRequest, Conflict, NotFound, Unauthenticated } from '../errors.ts';
import { flushOrConflict } from '../unique-flush.ts';
import type { Principal } from '../principal.ts';
import { getPersonById, personsPoolOwnerOf } from '../person/person-lookup.ts';
import { findOrganization } from '../organization/organization.queries.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import type { WebauthnSettings } from './webauthn-settings.ts';
import type { PasskeyRegistrationInput } from '../schema-types.generated.ts';
import { WebauthnChallenge } from './webauthn-challenge.entity.ts';
import {
  deleteExpiredWebauthnChallenges, deletePasskeyOf, findPasskeyByWebauthnId, findPasskeyOfPerson, passkeysOfPerson,
  useWebauthnChallenge,
} from './webauthn.queries.ts';
import {
  CHALLENGE_TTL_SECONDS, assertPasskeyName, assertPasskeysEnabled, challengeOf, passkeyParams, passkeyView, userHandleOf,
  type PasskeyParams,
} from './passkey.ts';
import { issueSingleUse, secondsFromNow } from '../single-use.ts';

/** The person a SELF caller acts as, with its tenant. */
export async function passkeyOwner(em: EntityManager, principal: Principal): Promise<{ org: Organization; person: Person }> {
  if (!principal.personId) throw new Unauthenticated("Passkeys are managed with the user's own credentials");
  const person = await getPersonById(em, principal.personId);
  const org = await findOrganization(em, principal.organizationId);
  if (!org) throw new NotFound('Organization not found');
  return { org, person };
}

/** The name a person knows themselves by at this tenant: username, else email, else phone. */
async function accountNameOf(person: Person): Promise<string> {
  await person.handles.init();
  const handles = person.handles.getItems();
  for (const type of ['username', 'email_address', 'phone_number']) {
    const handle = handles.find((h) => h.type === type);
    if (handle) return handle.value;
  }
  return person.id;
}

/** Options for navigator.credentials.create(), with a fresh single-use challenge bound to the person. */
export async function passkeyRegistrationOptions(em: EntityManager, org: Organization, person: Person, settings: WebauthnSettings) {
  assertPasskeysEnabled(org);
  if (Math.random() < 0.01) await deleteExpiredWebauthnChallenges(em);
  const existing = await passkeysOfPerson(em, person.id);
  const name = await accountNameOf(person);
  const options = await generateRegistrationOptions({
    rpName: org.tenantSettings.displayName || org.name,
    rpID: settings.rpId,
    userName: name,
    userDisplayName: name,
    userID: userHandleOf(person.id),
    attestationType: 'none',
    timeout: CHALLENGE_TTL_SECONDS * 1000,
    excludeCredentials: existing.map((c) => ({ id: passkeyParams(c).webauthn_credential_id, transports: passkeyParams(c).transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: settings.userVerification },
  });
  await issueSingleUse(em, WebauthnChallenge, {
    id: timeOrderedUuid(), organization: org, purpose: 'register', challenge: options.challenge, person, authReqId: null,
  }, secondsFromNow(CHALLENGE_TTL_SECONDS));
  return options;
}

const STALE = 'The registration challenge is unknown, already used or expired: request new options from POST /webauthn/register/options';

/** Checks the authenticator's answer to the person's challenge and stores the new passkey. */
export async function registerPasskey(em: EntityManager, org: Organization, person: Person, settings: WebauthnSettings,
  input: PasskeyRegistrationInput): Promise<Credential> {
  assertPasskeysEnabled(org);
  assertPasskeyName(input.name);
  const challenge = challengeOf(input.clientDataJson);
  if (!challenge) throw new BadRequest('client_data_json is not base64url-encoded clientDataJSON with a challenge');
  const used = await useWebauthnChallenge(em, org.id, 'register', challenge);
  if (!used || !used.live || used.person_id !== person.id) throw new BadRequest(STALE);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: {
        id: input.id, rawId: input.rawId, type: 'public-key', clientExtensionResults: {},
        response: { clientDataJSON: input.clientDataJson, attestationObject: input.attestationObject, transports: (input.transports ?? []) as never },
        ...(input.authenticatorAttachment ? { authenticatorAttachment: input.authenticatorAttachment as never } : {}),
      },
      expectedChallenge: challenge,
      expectedOrigin: settings.origins,
      expectedRPID: settings.rpId,
      requireUserVerification: settings.userVerification === 'required',
    });
  } catch (error) {
    throw new BadRequest(`The passkey registration was refused: ${(error as Error).message.slice(0, 200)}`);
  }
  if (!verification.verified) throw new BadRequest('The passkey registration was refused: its attestation did not verify');
  const info = verification.registrationInfo;
  if (await findPasskeyByWebauthnId(em, personsPoolOwnerOf(org), info.credential.id)) {
    throw new Conflict('This passkey is already registered at this tenant');
  }
  const params: PasskeyParams = {
    webauthn_credential_id: info.credential.id,
    public_key: isoBase64URL.fromBuffer(info.credential.publicKey),
    attestation_type: info.fmt,
    authenticator: { aaguid: info.aaguid, attachment: input.authenticatorAttachment ?? null },
    counter: info.credential.counter,
    transports: input.transports ?? [],
    backed_up: info.credentialBackedUp,
    device_type: info.credentialDeviceType,
    last_use: null,
  };
  const credential = em.create(Credential, {
    id: timeOrderedUuid(), organization: org, person, type: 'public-key', label: input.name?.trim() || 'Passkey',
    secret: null, params: params as unknown as Record<string, unknown>,
  });
  // Two registrations of one credential at once: the unique index decides.
  await flushOrConflict(em, 'This passkey is already registered at this tenant');
  return credential;
}

export const listPasskeys = async (em: EntityManager, person: Person) => (await passkeysOfPerson(em, person.id)).map(passkeyView);

const notYours = (id: string) => new NotFound(`You have no passkey with id "${id.slice(0, 64)}"`);

export async function renamePasskey(em: EntityManager, person: Person, id: string, name: string): Promise<boolean> {
  assertPasskeyName(name);
  const credential = isUuidShaped(id) ? await findPasskeyOfPerson(em, person.id, id) : null;
  if (!credential) throw notYours(id);
  credential.label = name.trim();
  await em.flush();
  return true;
}

export async function deletePasskey(em: EntityManager, person: Person, id: string): Promise<string> {
  const deleted = isUuidShaped(id) ? await deletePasskeyOf(em, person.id, id) : 0;
  if (!deleted) throw notYours(id);
  return id;
}
