// What a person types into the first field of the sign-in page: an email address, a phone number
// or a username. Which handle it names is guessed from its shape; every handle type it could be is
// tried, so a username holding "@" is found too.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { findHandleOwner } from '../person/person.queries.ts';
import { HANDLE_RULES } from '../person/handles.ts';
import type { HandleType } from '../schema-types.generated.ts';

export const MAX_IDENTIFIER = 320;

/** The handle types `identifier` may be, most likely first; none when it fits no rule. */
export function handleTypesOf(identifier: string): HandleType[] {
  const candidates: HandleType[] = identifier.includes('@') ? ['email_address', 'username'] : ['username', 'phone_number'];
  return candidates.filter((type) => HANDLE_RULES[type].pattern.test(identifier) && identifier.length <= HANDLE_RULES[type].max);
}

/** A phone number as typed (spaces, dashes, brackets) in the stored E.164 form. */
const compactPhone = (value: string) => (/^\+[0-9 ()-]+$/.test(value) ? value.replace(/[ ()-]/g, '') : value);

/** The tenant's person this identifier names, or null. Always runs one lookup per candidate type. */
export async function findPersonByIdentifier(em: EntityManager, org: Organization, raw: string): Promise<Person | null> {
  const identifier = compactPhone(raw.trim()).slice(0, MAX_IDENTIFIER);
  for (const type of handleTypesOf(identifier)) {
    const person = await findHandleOwner(em, org.id, { type, value: identifier });
    if (person) return person;
  }
  return null;
}
