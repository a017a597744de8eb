// GDPR consent levels of a person, each with the time it was received.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Person } from '../person/person.entity.ts';
import { Consent, CONSENT_LEVELS } from './consent.entity.ts';
import { consentRowsOfPersons, consentsOf, deleteConsents } from './consent.queries.ts';
import { ValidationFailed } from '../errors.ts';
import type { GdprConsentLevel } from '../schema-types.generated.ts';

export { CONSENT_LEVELS };

/** Records the levels (keeping the first receipt time of a level already given). */
export async function setConsent(em: EntityManager, person: Person, levels: readonly GdprConsentLevel[], replace: boolean) {
  const wanted = new Set(levels);
  const current = await consentsOf(em, person.id);
  const have = new Set(current.map((c) => c.level));
  if (replace) for (const c of current) if (!wanted.has(c.level)) em.remove(c);
  for (const level of wanted) if (!have.has(level)) em.create(Consent, { person, level });
  await em.flush();
  return person;
}

export async function removeConsent(
  em: EntityManager, person: Person, levels: readonly GdprConsentLevel[] | null | undefined, all: boolean,
) {
  if (!all && !levels?.length) throw new ValidationFailed('Name the consent_levels to remove, or set deleteAll=true');
  await deleteConsents(em, person.id, all ? null : levels!);
  return person;
}

export const consentsOfPersons = (em: EntityManager, personIds: readonly string[]) => consentRowsOfPersons(em, personIds);
