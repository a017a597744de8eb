// Brokered sign-in (OIDC and SAML SSO): which person of the organization's person pool an upstream
// identity is. A known link (provider + subject) wins; else the person holding the email as a
// verified handle; else a new person, as the organization's self-registration policy allows.
// An email the upstream did not assert as verified never reaches an existing person: whoever
// controls an upstream account with someone's unverified address must not become that someone.
// A handle counts as verified when its person is (`is_verified`): handles carry no flag of their own.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organization/organization.entity.ts';
import { findOrganization } from '../organization/organization.queries.ts';
import { selfRegistrationPolicy } from '../organization/registration-policy.ts';
import { personsPoolOwnerOf } from '../person/person-lookup.ts';
import { findHandleOwner } from '../person/person.queries.ts';
import { createPerson } from '../person/person.service.ts';
import { HANDLE_RULES, caseFolded } from '../person/handles.ts';
import { FALLBACK_REGION, type RegionName } from '../person/regions.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import { flushOrConflict } from '../unique-flush.ts';
import { UpstreamIdentity, type UpstreamKind } from './upstream-identity.entity.ts';
import { findUpstreamIdentity } from './upstream-identity.queries.ts';

export interface UpstreamIdentityInput {
  organizationId: string;
  kind: UpstreamKind;
  /** The provider configuration's id (OIDC credentials' or SAML credentials' id). */
  providerId: string;
  /** For messages: "Google", the credentials' label. */
  providerLabel: string;
  /** The upstream's stable id of the person (`sub`, SAML NameID). */
  subject: string;
  email?: string | null;
  /** The upstream asserted the email verified (`email_verified`; for SAML, the IdP is trusted for its domain). */
  emailVerified: boolean;
}

export interface LinkedIdentity {
  personId: string;
  /** The handle the sign-in used (the email), recorded in the tokens' `authentications`. */
  handle: { type: 'email_address'; value: string };
  /** A new person was created for this identity. */
  created: boolean;
}

const MAX_SUBJECT = 255;

/**
 * An address that stands for another one once handles are compared (NFC, lower case): a character
 * beyond ASCII that compatibility-normalizes to ASCII (the Kelvin sign K, fullwidth ａ, the ligature
 * ﬁ), or an invisible format character. The upstream verified that other mailbox, not the one it
 * looks like, so it must neither reach that address's person nor squat its handle.
 */
export function isLookAlikeEmail(email: string): boolean {
  if (/\p{Cf}/u.test(email)) return true;
  for (const char of email) {
    if (char.codePointAt(0)! <= 0x7f) continue;
    const compat = char.normalize('NFKC');
    if (/^[\x00-\x7f]+$/.test(compat)) return true;
  }
  return false;
}

/** Finds or creates the person of an upstream identity, or refuses (FORBIDDEN) with a reason the person can act on. */
export async function linkUpstreamIdentity(
  em: EntityManager, input: UpstreamIdentityInput, defaultRegion: RegionName = FALLBACK_REGION,
): Promise<LinkedIdentity> {
  const org = await findOrganization(em, input.organizationId);
  if (!org) throw new NotFound('The organization of this sign-in is gone');
  const poolOwner = personsPoolOwnerOf(org) === org.id ? org : await findOrganization(em, personsPoolOwnerOf(org));
  if (!poolOwner) throw new NotFound('The person pool of this organization is gone');
  const from = `${input.providerLabel}`;
  if (!input.subject || input.subject.length > MAX_SUBJECT) throw new Forbidden(`${from} did not identify the person (no usable subject)`);
  const email = input.email?.trim();
  if (!email || email.length > HANDLE_RULES.email_address.max || !HANDLE_RULES.email_address.pattern.test(email)) {
    throw new Forbidden(`${from} did not give an email address for this account; it is needed to sign in`);
  }
  if (isLookAlikeEmail(email)) {
    throw new Forbidden(`${from} gave an email address written with look-alike characters (${email.slice(0, 80)}); it cannot be used to sign in`);
  }
  const handle = { type: 'email_address' as const, value: email };

  const linked = await findUpstreamIdentity(em, poolOwner.id, input.kind, input.providerId, input.subject);
  if (linked) {
    const person = linked.person.getEntity();
    if (!person.active) throw new Forbidden('This account is not active');
    // The link decides who this is; the email only names the handle the tokens record. A changed
    // address counts once the upstream verified it and no other person of the pool holds it, so an
    // upstream account renamed to someone else's address never makes tokens that name that address.
    const changedTo = linked.email && caseFolded(linked.email) !== caseFolded(email) ? email : null;
    if (changedTo && !(input.emailVerified && await mayRecord(em, poolOwner.id, person.id, handle))) {
      linked.lastSignInAt = new Date();
      await em.flush();
      return { personId: person.id, handle: { type: 'email_address', value: linked.email! }, created: false };
    }
    linked.email = email;
    linked.lastSignInAt = new Date();
    await em.flush();
    return { personId: person.id, handle, created: false };
  }

  const holder = await findHandleOwner(em, poolOwner.id, handle);
  if (holder) {
    if (!input.emailVerified) {
      throw new Forbidden(`${from} did not confirm that ${email} is verified, and an account with that email exists: `
        + 'sign in with that account\'s method, or verify the email at the provider');
    }
    if (!holder.isVerified) {
      throw new Forbidden(`An account with ${email} exists but its email is not verified here: sign in with that account's method first`);
    }
    if (!holder.active) throw new Forbidden('This account is not active');
    await link(em, poolOwner, holder.id, input, email);
    return { personId: holder.id, handle, created: false };
  }

  const { active } = selfRegistrationPolicy(org, [handle]);
  if (!active) {
    // requires_manual_approval: the person exists (inactive) for the administrator to approve.
    const person = await createPerson(em, poolOwner, { handles: [handle], active, isVerified: input.emailVerified }, defaultRegion);
    await link(em, poolOwner, person.id, input, email);
    throw new Forbidden('Your account was created and waits for approval by the organization\'s administrator');
  }
  const person = await createPerson(em, poolOwner, { handles: [handle], active, isVerified: input.emailVerified }, defaultRegion);
  await link(em, poolOwner, person.id, input, email);
  return { personId: person.id, handle, created: true };
}

/** The address is free in the pool, or the person's own. */
async function mayRecord(em: EntityManager, poolOwnerId: string, personId: string, handle: { type: 'email_address'; value: string }) {
  const holder = await findHandleOwner(em, poolOwnerId, handle);
  return !holder || holder.id === personId;
}

async function link(em: EntityManager, poolOwner: Organization, personId: string, input: UpstreamIdentityInput, email: string) {
  em.create(UpstreamIdentity, {
    id: timeOrderedUuid(), organization: poolOwner.id, person: personId, kind: input.kind, providerId: input.providerId,
    subject: input.subject, email,
  } as never);
  // Two first sign-ins of one upstream account at once: the second finds the link taken.
  await flushOrConflict(em, 'This account is being linked by another sign-in at the same moment: try again');
}
