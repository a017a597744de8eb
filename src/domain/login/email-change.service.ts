// Changing a user's email needs a fresh proof of the user's secret (endpoint table 2, row 28):
// a challenge issued with the user's cipherKey, answered by a proof, checked like a login.
import type { EntityManager } from '@mikro-orm/postgresql';
import { resolveManagedOrganization } from '../organization/organization.service.ts';
import { getPerson, updatePerson } from '../person/person.service.ts';
import { findHandleOwner, findHandlesOfPersons } from '../person/person.queries.ts';
import { assertFreshProof } from './zkp-login.service.ts';
import { Conflict, NotFound } from '../errors.ts';
import type { ClientInfo, Principal } from '../principal.ts';
import type { OrganizationSelector } from '../schema-types.generated.ts';

export interface EmailChangeInput { email: string; challengeId: string; challengeData: string }

export async function changeEmailWithProof(em: EntityManager, principal: Principal, select: OrganizationSelector,
  userId: string, input: EmailChangeInput, client: ClientInfo) {
  const org = await resolveManagedOrganization(em, principal, select);
  // A user's own credentials reach only that user; others look absent.
  if (principal.personId !== undefined && principal.personId !== userId) {
    throw new NotFound(`No person with id "${userId.slice(0, 64)}" in this organization`);
  }
  const person = await getPerson(em, org, userId);
  const holder = await findHandleOwner(em, org.id, { type: 'email_address', value: input.email });
  if (holder && holder.id !== person.id) throw new Conflict('This email address already belongs to another user');
  const username = (await findHandlesOfPersons(em, [person.id])).find((h) => h.type === 'username');
  await assertFreshProof(em, org, person, username?.value ?? '', input, client);
  return updatePerson(em, org, person.id, { replaceHandles: [{ type: 'email_address', value: input.email }] });
}
