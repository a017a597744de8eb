// A flush that loses a race on a unique key answers 409 with what the request collided with,
// like the pre-check that let it through would have.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conflict } from './errors.ts';

export async function flushOrConflict(em: EntityManager, conflict: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new Conflict(conflict);
    throw error;
  }
}
