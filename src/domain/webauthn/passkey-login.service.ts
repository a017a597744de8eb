// Signing in with a passkey (the Secrets Vault face's /webauthn/authenticate/*, and the hosted
// sign-in page): usernameless (a discoverable credential answers an empty allow list) or
// username-first (the challenge is bound to the person the identifier names). The answer is a
// login ticket like the zero-knowledge login's ({nonce, need_verify}), bound to `auth_req_id`.
// Every failure is the same error: unknown, used, expired or foreign challenge, unknown
// credential, wrong signature, wrong origin or RP, counter regression.
import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import type { Sealer } from '../../crypto/sealed.ts';
import { Unauthenticated } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import type { ClientInfo } from '../principal.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import { accessPoint, startSession } from '../session/session.service.ts';
import { LoginTicket } from '../login/login-ticket.entity.ts';
import { findPersonByIdentifier, MAX_IDENTIFIER } from '../login/identifier.ts';
import { personsPoolOwnerOf } from '../person/person-lookup.ts';
import { assertNotBlocked } from '../login/throttle.service.ts';
import type { WebauthnSettings } from './webauthn-settings.ts';
import { WebauthnChallenge } from './webauthn-challenge.entity.ts';
import {
  deleteExpiredWebauthnChallenges, findPasskeyByWebauthnId, passkeysOfPerson, recordPasskeyUse, useWebauthnChallenge,
} from './webauthn.queries.ts';
import { CHALLENGE_TTL_SECONDS, assertPasskeysEnabled, challengeOf, passkeyParams } from './passkey.ts';
import { emitAuthenticationEvent } from '../webhook/events.ts';
import { issueSingleUse, secondsFromNow } from '../single-use.ts';

export const TICKET_TTL_SECONDS = 120;
const NOBODY = '00000000-0000-0000-0000-000000000000';
const FAILED = 'The passkey sign-in was not accepted; request new options and try again';

/**
 * A stand-in allow list for an identifier that names nobody (or a person without passkeys): a
 * credential id derived from the identifier under the master key, the same on every call, so the
 * options do not tell whether the identifier exists.
 */
const standInCredential = (sealer: Sealer, org: Organization, identifier: string) =>
  [{ id: isoBase64URL.fromBuffer(new Uint8Array(sealer.mac('webauthn-stand-in', `${org.id}\n${identifier.toLowerCase()}`))), transports: ['internal', 'hybrid'] }];

export interface PasskeyOptionsInput { identifier?: string | null; authReqId?: string | null }

/** Options for navigator.credentials.get(), with a fresh single-use challenge. */
export async function passkeyAuthenticationOptions(em: EntityManager, org: Organization, settings: WebauthnSettings,
  sealer: Sealer, input: PasskeyOptionsInput, client: ClientInfo) {
  assertPasskeysEnabled(org);
  // Like a ZKP challenge: a client blocked for failed sign-ins gets no challenge (nor fills the table).
  await assertNotBlocked(em, org, client.ip, input.identifier?.trim().slice(0, MAX_IDENTIFIER) ?? '');
  if (Math.random() < 0.01) await deleteExpiredWebauthnChallenges(em);
  const identifier = input.identifier?.trim().slice(0, MAX_IDENTIFIER) || null;
  let person: Person | null = null;
  let allowCredentials: { id: string; transports?: string[] }[] | undefined;
  if (identifier) {
    person = await findPersonByIdentifier(em, org, identifier);
    // The same statement for nobody, so a known identifier takes no longer than an unknown one.
    const passkeys = await passkeysOfPerson(em, person?.id ?? NOBODY);
    allowCredentials = passkeys.length
      ? passkeys.map((c) => ({ id: passkeyParams(c).webauthn_credential_id, transports: passkeyParams(c).transports }))
      : standInCredential(sealer, org, identifier);
    if (!passkeys.length) person = null;
  }
  const options = await generateAuthenticationOptions({
    rpID: settings.rpId, allowCredentials, userVerification: settings.userVerification, timeout: CHALLENGE_TTL_SECONDS * 1000,
  });
  await issueSingleUse(em, WebauthnChallenge, {
    id: timeOrderedUuid(), organization: org, purpose: 'authenticate', challenge: options.challenge,
    // Bound to the named person's passkeys; unbound (like a usernameless sign-in) otherwise.
    person: person ?? null, authReqId: input.authReqId ?? null,
  }, secondsFromNow(CHALLENGE_TTL_SECONDS));
  return { options, boundToPerson: identifier !== null };
}

export interface PasskeyAssertionInput {
  id: string;
  rawId: string;
  clientDataJson: string;
  authenticatorData: string;
  signature: string;
  userHandle?: string | null;
  authenticatorAttachment?: string | null;
  authReqId?: string | null;
}

/** The person whose passkey answered the challenge, after every check; throws the one failure otherwise. */
async function verifiedPerson(em: EntityManager, org: Organization, settings: WebauthnSettings, input: PasskeyAssertionInput,
  client: ClientInfo) {
  const challenge = challengeOf(input.clientDataJson);
  const used = challenge ? await useWebauthnChallenge(em, org.id, 'authenticate', challenge) : undefined;
  if (!challenge || !used || !used.live || (used.auth_req_id ?? null) !== (input.authReqId ?? null)) throw new Unauthenticated(FAILED);
  const credential = input.rawId.length <= 1024 ? await findPasskeyByWebauthnId(em, personsPoolOwnerOf(org), input.rawId) : null;
  if (!credential || input.id !== input.rawId) throw new Unauthenticated(FAILED);
  const person = credential.person.getEntity();
  // Username-first: only the named person's passkeys answer.
  if (used.person_id !== null && used.person_id !== person.id) throw new Unauthenticated(FAILED);
  if (input.userHandle && input.userHandle !== isoBase64URL.fromBuffer(new TextEncoder().encode(person.id))) {
    throw new Unauthenticated(FAILED);
  }
  const params = passkeyParams(credential);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: {
        id: input.id, rawId: input.rawId, type: 'public-key', clientExtensionResults: {},
        response: {
          clientDataJSON: input.clientDataJson, authenticatorData: input.authenticatorData, signature: input.signature,
          ...(input.userHandle ? { userHandle: input.userHandle } : {}),
        },
      },
      expectedChallenge: challenge,
      expectedOrigin: settings.origins,
      expectedRPID: settings.rpId,
      credential: {
        id: params.webauthn_credential_id, publicKey: isoBase64URL.toBuffer(params.public_key),
        counter: params.counter ?? 0, transports: params.transports as never,
      },
      requireUserVerification: settings.userVerification === 'required',
    });
  } catch {
    throw new Unauthenticated(FAILED);
  }
  if (!verification.verified || !person.active) throw new Unauthenticated(FAILED);
  const { newCounter, credentialBackedUp, userVerified } = verification.authenticationInfo;
  // The counter moves forward in one guarded UPDATE: a cloned authenticator, or a parallel
  // sign-in with the same counter, loses here.
  if (!await recordPasskeyUse(em, credential.id, newCounter, credentialBackedUp, { ...accessPoint(client) })) {
    throw new Unauthenticated(FAILED);
  }
  return { person, userVerified };
}

/** Verifies the assertion; on success a login ticket (`nonce`, shown once) and a new session. */
export async function authenticateWithPasskey(em: EntityManager, org: Organization, settings: WebauthnSettings,
  input: PasskeyAssertionInput, client: ClientInfo) {
  assertPasskeysEnabled(org);
  let verified: Awaited<ReturnType<typeof verifiedPerson>>;
  try {
    verified = await verifiedPerson(em, org, settings, input, client);
  } catch (error) {
    if (error instanceof Unauthenticated) {
      await emitAuthenticationEvent(em, org.id, false, { person_id: null, authentication_method: 'passkey', failure_reason: 'invalid_credentials' });
    }
    throw error;
  }
  const { person, userVerified } = verified;
  const session = startSession(em, org, person, client);
  const ticket = newSecretToken(32);
  // A passkey with user verification is two factors already.
  const needVerify = org.tenantSettings.is2fa === true && !userVerified;
  await issueSingleUse(em, LoginTicket, {
    id: timeOrderedUuid(), organization: org, person, session, ticketHash: sha256Hex(ticket),
    authReqId: input.authReqId ?? null, method: 'passkey', needVerify, loginData: null,
  }, secondsFromNow(TICKET_TTL_SECONDS));
  await emitAuthenticationEvent(em, org.id, true, { person_id: person.id, authentication_method: 'passkey' });
  return { nonce: ticket, needVerify, sessionId: session.id, personId: person.id };
}
