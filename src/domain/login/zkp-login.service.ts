// The zero-knowledge secret login of the Secrets Vault face (docs/zkp.md): registration stores the
// client-encrypted commitment; a single-use challenge is answered by a Schnorr proof; success
// yields a single-use login ticket and a session. Every failure (unknown user, wrong cipherKey,
// wrong proof, expired or reused challenge) is the same error after the same work.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organization/organization.entity.ts';
import { findByTenantId, findOrganization } from '../organization/organization.queries.ts';
import { Credential } from '../credential/credential.entity.ts';
import { findCredentialOfType, findZkpCredentialByUsername } from '../credential/credential.queries.ts';
import { deleteExpiredLoginRows, roundTrip, useChallenge, useLoginTicket } from './login.queries.ts';
import { createPerson } from '../person/person.service.ts';
import { FALLBACK_REGION, type RegionName } from '../person/regions.ts';
import type { Person } from '../person/person.entity.ts';
import { ZkpChallenge } from './zkp-challenge.entity.ts';
import { LoginTicket } from './login-ticket.entity.ts';
import { findAuthorizeRequest } from '../oauth/oauth.queries.ts';
import { assertNotBlocked, throttledAttempt } from './throttle.service.ts';
import { startSession } from '../session/session.service.ts';
import { Forbidden, NotFound, Unauthenticated, ValidationFailed } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import type { ClientInfo } from '../principal.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import { isEnvelopeShaped, openCommitment } from '../../crypto/zkp-envelope.ts';
import {
  PROTO_VERSION, b64urlDecode, b64urlEncode, commitmentOf, normalizeUsername, verifyProof,
} from '../../zkp/protocol.ts';
import { emitAuthenticationEvent } from '../webhook/events.ts';
import { selfRegistrationPolicy } from '../organization/registration-policy.ts';
import { issueSingleUse, secondsFromNow } from '../single-use.ts';

export const CHALLENGE_TTL_SECONDS = 120;
export const TICKET_TTL_SECONDS = 120;
export const MAX_CLIENT_DATA = 8192;

/**
 * The tenant of an /auth/* call: the organization of the pending authorize request `authReqId`
 * names, else the one `tenantId` names. Both given and different → VALIDATION (422); an unknown,
 * finished or expired authorize request, or an unknown tenant → NOT_FOUND.
 */
export async function loginTenant(em: EntityManager, tenantId: string | null | undefined,
  authReqId?: string | null): Promise<Organization> {
  if (authReqId != null) {
    const request = await findAuthorizeRequest(em, authReqId);
    if (!request || request.status !== 'pending' || request.expiresAt.getTime() <= Date.now()) {
      throw new NotFound('No pending authorization request with this auth_req_id');
    }
    const org = await findOrganization(em, request.organization.id);
    if (!org) throw new NotFound('No pending authorization request with this auth_req_id');
    if (tenantId != null && tenantId !== org.tenantId) {
      throw new ValidationFailed('tenant_id differs from the tenant of the authorization request auth_req_id names', [
        { loc: ['query', 'tenant_id'], msg: 'must be the tenant of auth_req_id, or be left out', type: 'value_error' }]);
    }
    return org;
  }
  if (tenantId == null) {
    throw new ValidationFailed('Send tenant_id, or auth_req_id naming a pending authorization request', [
      { loc: ['query', 'tenant_id'], msg: 'Field required', type: 'missing' }]);
  }
  const org = await findByTenantId(em, tenantId);
  if (!org) throw new NotFound('No tenant with this tenant_id');
  return org;
}

export function assertProtoVersion(version: number) {
  if (version !== PROTO_VERSION) {
    throw new ValidationFailed(`proto_version ${version} is not supported; use ${PROTO_VERSION}`, [
      { loc: ['body', 'proto_version'], msg: `Input should be ${PROTO_VERSION}`, type: 'enum' },
    ]);
  }
}

export function assertEnvelope(encrypted: string) {
  if (!isEnvelopeShaped(encrypted)) {
    throw new ValidationFailed('encrypted_commitment is not an encrypted commitment of proto_version 1 (see docs/zkp.md)', [
      { loc: ['body', 'encrypted_commitment'], msg: 'must be 61 bytes in base64url starting with version 1', type: 'value_error' },
    ]);
  }
}

/** Parses optional client-reported JSON (`ber`, `log_data`) and bounds its size. */
export function clientData(json: string | null | undefined, field: string): unknown {
  if (json == null) return undefined;
  if (json.length > MAX_CLIENT_DATA) {
    throw new ValidationFailed(`${field} is too large`, [{ loc: ['body', field], msg: `at most ${MAX_CLIENT_DATA} bytes of JSON`, type: 'too_long' }]);
  }
  try { return JSON.parse(json); } catch {
    throw new ValidationFailed(`${field} is not JSON`, [{ loc: ['body', field], msg: 'must be JSON', type: 'value_error' }]);
  }
}

export interface RegisterInput {
  username: string;
  email: string;
  encryptedCommitment: string;
  protoVersion: number;
  logData?: string | null;
}

/** Self-registration, when the tenant allows it: a user and its ZKP credential. */
export async function registerWithZkp(
  em: EntityManager, org: Organization, input: RegisterInput, defaultRegion: RegionName = FALLBACK_REGION,
): Promise<Person> {
  if (!org.tenantSettings.registerEnable) throw new Forbidden('This tenant does not allow self-registration');
  assertProtoVersion(input.protoVersion);
  assertEnvelope(input.encryptedCommitment);
  const logData = clientData(input.logData, 'log_data');
  const handles = [{ type: 'username' as const, value: input.username }, { type: 'email_address' as const, value: input.email }];
  const { active } = selfRegistrationPolicy(org, handles);
  return em.transactional(async (tx) => {
    const tenant = tx.getReference(Organization, org.id);
    const person = await createPerson(tx, tenant, { handles, active }, defaultRegion);
    tx.create(Credential, {
      id: timeOrderedUuid(), organization: tenant, person, type: 'zkp', label: null,
      secret: input.encryptedCommitment, params: { protoVersion: input.protoVersion, registrationLog: logData ?? null },
    } as never);
    await tx.flush();
    return person;
  });
}

/** Replaces (or sets) a person's ZKP commitment: password reset and change. */
export async function replaceCommitment(em: EntityManager, org: Organization, person: Person,
  encryptedCommitment: string, protoVersion: number): Promise<void> {
  assertProtoVersion(protoVersion);
  assertEnvelope(encryptedCommitment);
  const existing = await findCredentialOfType(em, person.id, 'zkp');
  if (existing) {
    existing.secret = encryptedCommitment;
    existing.params = { ...(existing.params ?? {}), protoVersion };
  } else {
    em.create(Credential, {
      id: timeOrderedUuid(), organization: org, person, type: 'zkp', label: null,
      secret: encryptedCommitment, params: { protoVersion },
    } as never);
  }
  await em.flush();
}

export interface ChallengeInput { username: string; cipherKey: string; authReqId?: string | null }

/** Removes challenges and reset codes long past their expiry (a statement every ~100 challenges). */
export const purgeExpiredLoginRows = (em: EntityManager) => deleteExpiredLoginRows(em);

/**
 * A fresh single-use challenge, issued for any username (known or not); refused with 429 while
 * the client IP or the username is blocked, so a blocked client cannot fill the table either.
 */
export async function issueChallenge(em: EntityManager, org: Organization, input: ChallengeInput, client: ClientInfo) {
  await assertNotBlocked(em, org, client.ip, input.username);
  if (Math.random() < 0.01) await purgeExpiredLoginRows(em);
  const username = normalizeUsername(input.username).slice(0, 128);
  // Opened (or a stand-in opened) for every username, so this step takes the same time for all.
  const credential = await findZkpCredential(em, org, username);
  const commitment = openCommitment(credential?.secret ?? DUMMY_ENVELOPE, input.cipherKey);
  const challenge = await issueSingleUse(em, ZkpChallenge, {
    id: crypto.randomUUID(), organization: org, username,
    nonce: b64urlEncode(crypto.randomBytes(32)), authReqId: input.authReqId ?? null,
    commitment: credential && commitment ? b64urlEncode(commitment) : null,
  }, secondsFromNow(CHALLENGE_TTL_SECONDS));
  return { challengeId: challenge.id, challengeData: challenge.nonce, expiresAt: challenge.expiresAt, protoVersion: PROTO_VERSION };
}

export interface AuthenticateInput {
  username: string;
  cipherKey: string;
  challengeId: string;
  challengeData: string;
  authReqId?: string | null;
  ber?: string | null;
  logData?: string | null;
}

const FAILED = 'The username, secret or challenge is not valid; request a new challenge and try again';
// Stand-ins used when there is no user or credential, so a failure does the same work.
const DUMMY_ENVELOPE = b64urlEncode(new Uint8Array([1, ...crypto.randomBytes(60)]));
const DUMMY_COMMITMENT = commitmentOf(123456789n);

/** The person's ZKP credential, found by username, with its person, in one statement. */
const findZkpCredential = (em: EntityManager, org: Organization, normalizedUsername: string) =>
  findZkpCredentialByUsername(em, org.id, normalizedUsername);

async function consumeChallenge(em: EntityManager, org: Organization, id: string) {
  if (!isUuidShaped(id)) {
    await roundTrip(em);
    return null;
  }
  return (await useChallenge(em, org.id, id)) ?? null;
}

/** Verifies the proof; on success a login ticket (`nonce`, shown once) and a new session. */
export async function authenticateWithZkp(em: EntityManager, org: Organization, input: AuthenticateInput, client: ClientInfo) {
  const ber = clientData(input.ber, 'ber');
  const logData = clientData(input.logData, 'log_data');
  const username = normalizeUsername(input.username);
  // The proof is checked only under an attempt slot of the IP and the username (throttle.service.ts).
  const attempt = await throttledAttempt(em, org, client.ip, input.username, async () => {
    const challenge = await consumeChallenge(em, org, input.challengeId);
    const credential = await findZkpCredential(em, org, username);
    const person = credential ? credential.person.getEntity() : null;
    const commitment = openCommitment(credential?.secret ?? DUMMY_ENVELOPE, input.cipherKey);
    const proof = b64urlDecode(input.challengeData);
    const proven = verifyProof(commitment ?? DUMMY_COMMITMENT, proof ?? new Uint8Array(64), {
      tenantId: org.tenantId, username, challengeId: input.challengeId, nonce: challenge?.nonce ?? '',
    });
    const ok = proven && commitment !== null && credential !== null && person !== null && person.active
      && challenge !== null && challenge.live && challenge.username === username;
    return ok ? { credential: credential!, person: person! } : null;
  });
  if (!attempt.value) {
    await emitAuthenticationEvent(em, org.id, false, { person_id: null, authentication_method: 'zkp', handle: { type: 'username', value: username.slice(0, 320) }, failure_reason: 'invalid_credentials' });
    throw new Unauthenticated(FAILED);
  }
  const { credential, person } = attempt.value;

  const session = startSession(em, org, person, client);
  const ticket = newSecretToken(32);
  const needVerify = org.tenantSettings.is2fa === true;
  credential.lastUsedAt = new Date();
  await issueSingleUse(em, LoginTicket, {
    id: timeOrderedUuid(), organization: org, person, session, ticketHash: sha256Hex(ticket),
    authReqId: input.authReqId ?? null, method: 'zkp', needVerify,
    loginData: ber === undefined && logData === undefined ? null : { ber: ber ?? null, log_data: logData ?? null },
  }, secondsFromNow(TICKET_TTL_SECONDS));
  await emitAuthenticationEvent(em, org.id, true, { person_id: person.id, authentication_method: 'zkp', handle: { type: 'username', value: username } });
  return { nonce: ticket, needVerify, sessionId: session.id };
}

/**
 * Redeems a login ticket once (for the OIDC face: completes the authorize request it names).
 * Returns null when the ticket is unknown, used or expired.
 */
export async function redeemLoginTicket(em: EntityManager, ticket: string) {
  const row = await useLoginTicket(em, sha256Hex(ticket.slice(0, 256)));
  return row ? {
    ticketId: row.id, personId: row.person_id, sessionId: row.session_id, authReqId: row.auth_req_id,
    organizationId: row.organization_id, needVerify: row.need_verify,
  } : null;
}

export interface FreshProofInput { challengeId: string; challengeData: string }

/**
 * Checks a fresh proof by `person` without its cipherKey: against the commitment opened when the
 * challenge was issued (the challenge carried the cipherKey). Fails like a login, and counts as one.
 */
export async function assertFreshProof(em: EntityManager, org: Organization, person: Person, username: string,
  input: FreshProofInput, client: ClientInfo): Promise<void> {
  const normalized = normalizeUsername(username);
  const attempt = await throttledAttempt(em, org, client.ip, username, async () => {
    const challenge = await consumeChallenge(em, org, input.challengeId);
    const commitment = challenge?.commitment ? b64urlDecode(challenge.commitment) : null;
    const proof = b64urlDecode(input.challengeData);
    const proven = verifyProof(commitment ?? DUMMY_COMMITMENT, proof ?? new Uint8Array(64), {
      tenantId: org.tenantId, username: normalized, challengeId: input.challengeId, nonce: challenge?.nonce ?? '',
    });
    return proven && commitment !== null && person.active && challenge !== null && challenge.live
      && challenge.username === normalized ? true : null;
  });
  if (!attempt.value) throw new Unauthenticated(FAILED);
}
