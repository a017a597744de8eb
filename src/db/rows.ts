// Plain rows read with em.execute come back as the driver parses them: MikroORM's PostgreSQL
// connection leaves timestamps as strings, which the entities would have converted.
export const asDate = (value: unknown): Date | null =>
  (value == null ? null : value instanceof Date ? value : new Date(value as string));
