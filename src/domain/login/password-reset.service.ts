// Password (secret) reset by code: a request mails a single-use, expiring code through the
// outbox; redeeming it replaces the ZKP commitment and ends the person's sessions. A request
// answers the same whether or not the username and email match a user.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { findHandleOwner, findHandleOfPerson } from '../person/person.queries.ts';
import { getPersonById } from '../person/person-lookup.ts';
import { findOrganization } from '../organization/organization.queries.ts';
import { useResetCode, voidResetCodes } from './login.queries.ts';
import { PasswordResetCode } from './password-reset-code.entity.ts';
import { enqueueMail, passwordResetLink } from '../outbox/outbox.service.ts';
import { renderMessage } from '../organization/templates.ts';
import { noticePasswordChanged } from './password-change-notice.ts';
import { replaceCommitment, clientData, assertEnvelope, assertProtoVersion } from './zkp-login.service.ts';
import { BadRequest } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import type { Person } from '../person/person.entity.ts';
import { NotFound, Unauthenticated } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { PasswordResetInput } from '../schema-types.generated.ts';
import { endSessionsWhere } from '../session/session.service.ts';
import { emitEvent } from '../webhook/events.ts';
import { issueSingleUse, secondsFromNow } from '../single-use.ts';

export const RESET_CODE_TTL_SECONDS = 30 * 60;
export const PASSWORD_RESET_TEMPLATE = 'password_reset';

/**
 * Mails a reset code to the person holding both handles. The mail is the organization's
 * `email_password_reset` template (or the default), rendered now into the outbox row with the
 * link (`resetUrl`, the login page's reset address, with the code), so the row is the message sent.
 */
export async function requestPasswordReset(em: EntityManager, org: Organization,
  input: { username: string; email: string; clientId?: string | null }, resetUrl: string): Promise<boolean> {
  const person = await findHandleOwner(em, org.id, { type: 'username', value: input.username });
  const email = person
    ? await findHandleOfPerson(em, person.id, { type: 'email_address', value: input.email })
    : null;
  if (!person || !person.active || !email) return true;
  await voidResetCodes(em, person.id);
  const code = newSecretToken(16);
  const payload = { code, username: input.username, tenant_id: org.tenantId, client_id: input.clientId ?? null };
  const link = passwordResetLink(resetUrl, payload);
  const message = renderMessage(org, 'email_password_reset', {
    organization: { id: org.id, name: org.name }, person: { id: person.id }, username: input.username, code, link,
    expires_in_minutes: RESET_CODE_TTL_SECONDS / 60,
  });
  enqueueMail(em, org, { template: PASSWORD_RESET_TEMPLATE, recipient: email.value, payload: { ...payload, link, message } });
  await issueSingleUse(em, PasswordResetCode, {
    id: timeOrderedUuid(), organization: org, person, codeHash: sha256Hex(code),
  }, secondsFromNow(RESET_CODE_TTL_SECONDS));
  return true;
}

const INVALID_CODE = 'The reset code is not valid, was used, or has expired; request a new one';

export async function resetPassword(em: EntityManager, org: Organization, input: PasswordResetInput): Promise<boolean> {
  assertProtoVersion(input.protoVersion);
  assertEnvelope(input.encryptedCommitment);
  clientData(input.logData, 'log_data');
  const person = await findHandleOwner(em, org.id, { type: 'username', value: input.username });
  const used = await useResetCode(em, sha256Hex(input.code.slice(0, 256)), org.id, person?.id ?? '00000000-0000-0000-0000-000000000000');
  if (!used || !person) throw new BadRequest(INVALID_CODE);
  await replaceCommitment(em, org, person as Person, input.encryptedCommitment, input.protoVersion);
  await endSessionsWhere(em, { person: person.id });
  await noticePasswordChanged(em, org, person.id, 'reset');
  await emitEvent(em, org.id, 'PasswordChanged_v1', { person_id: person.id, reason: 'reset' });
  return true;
}

/**
 * A user replaces its own commitment. Needs a principal acting as the person (a per-user API
 * key, or an access token issued to the person) with the profile:write scope.
 * Other sessions end; the caller's credentials stay valid.
 */
export async function changePassword(em: EntityManager, principal: Principal,
  input: { encryptedCommitment: string; protoVersion: number; logData?: string | null }): Promise<boolean> {
  if (!principal.personId) throw new Unauthenticated("Changing a secret needs the user's own credentials");
  clientData(input.logData, 'log_data');
  const person = await getPersonById(em, principal.personId);
  const org = await findOrganization(em, principal.organizationId);
  if (!org) throw new NotFound('Organization not found');
  await replaceCommitment(em, org, person, input.encryptedCommitment, input.protoVersion);
  // The caller's own session (an access token's sid) stays, so its credentials stay valid.
  await endSessionsWhere(em, { person: person.id, ...(principal.sessionId ? { exceptId: principal.sessionId } : {}) });
  await noticePasswordChanged(em, org, person.id, 'change');
  await emitEvent(em, org.id, 'PasswordChanged_v1', { person_id: person.id, reason: 'change' });
  return true;
}
