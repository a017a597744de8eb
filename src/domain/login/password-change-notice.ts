// The mail telling a person its password (secret) was changed: the organization's
// `email_password_change_notify` template (or the default), to the person's first email address,
// written to the outbox with the change. A person without an email address gets none.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { findHandlesOfPersons } from '../person/person.queries.ts';
import { enqueueMail } from '../outbox/outbox.service.ts';
import { renderMessage } from '../organization/templates.ts';

export const PASSWORD_CHANGE_NOTICE = 'password_change_notify';

export async function noticePasswordChanged(em: EntityManager, org: Organization, personId: string, reason: 'reset' | 'change') {
  const handles = await findHandlesOfPersons(em, [personId]);
  const email = handles.find((h) => h.type === 'email_address');
  if (!email) return;
  const username = handles.find((h) => h.type === 'username')?.value ?? null;
  const message = renderMessage(org, 'email_password_change_notify', {
    organization: { id: org.id, name: org.name }, person: { id: personId }, username, reason,
  });
  enqueueMail(em, org, { template: PASSWORD_CHANGE_NOTICE, recipient: email.value, payload: { tenant_id: org.tenantId, reason, message } });
  await em.flush();
}
