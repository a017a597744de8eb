// When a row was written, as entities declare it (spread into `defineEntity({ properties })`).
// No entity imports here, so the organization and person entities can use these too.
import { p } from '@mikro-orm/core';

/** Set once, when the row is inserted. */
export const createdAt = () => p.datetime().onCreate(() => new Date());

/** Set when the row is inserted and again at every change the unit of work flushes. */
export const updatedAt = () => p.datetime().onCreate(() => new Date()).onUpdate(() => new Date());

/** Both: when the row was inserted and last changed. */
export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });
