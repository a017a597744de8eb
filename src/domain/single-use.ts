// Issuing a single-use, expiring row (a reset code or token, a ceremony challenge, a login ticket,
// a pending upstream sign-in): stored and saved at once, with whatever else the unit of work holds.
// Spending one is each kind's own conditional UPDATE (its *.queries.ts), so only one caller wins.
import type { EntityManager, EntityName, RequiredEntityData } from '@mikro-orm/postgresql';

/** The moment `seconds` from now: a single-use row's usual expiry. */
export const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** Stores `row`, valid until `expiresAt`, saves it and returns it. */
export async function issueSingleUse<T extends { expiresAt: Date }>(
  em: EntityManager, entity: EntityName<T>, row: Omit<RequiredEntityData<T>, 'expiresAt'>, expiresAt: Date,
): Promise<T> {
  const issued = em.create(entity, { ...row, expiresAt } as RequiredEntityData<T>);
  await em.flush();
  return issued;
}
