// Data access for consent. Rules live in consent.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Consent } from './consent.entity.ts';
import type { GdprConsentLevel } from '../schema-types.generated.ts';

/** The person's consent rows (managed: the service removes the ones no longer given). */
export const consentsOf = (em: EntityManager, personId: string) => em.find(Consent, { person: personId });

/** Deletes the person's consent of these levels, or all of it (`levels` null). */
export const deleteConsents = (em: EntityManager, personId: string, levels: readonly GdprConsentLevel[] | null) =>
  em.nativeDelete(Consent, { person: personId, ...(levels === null ? {} : { level: { $in: [...levels] } }) });

/** Consent rows of many persons (for the DataLoader), in the order given. */
export const consentRowsOfPersons = (em: EntityManager, personIds: readonly string[]) =>
  em.find(Consent, { person: { $in: [...personIds] } }, { orderBy: { createdAt: 'asc', level: 'asc' } });
