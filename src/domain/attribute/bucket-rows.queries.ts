// Data access for the attribute rows of either holder (a person: attribute.entity.ts; an
// organization: organization-attribute.entity.ts), named by the holder's key column.
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';

export type Holder = { person: string } | { organization: string };
export interface BucketRow { bucket: string; name: string }

/** The filter of the holder's rows: its key, and the bucket (and names) asked for. */
const holderRows = <T extends BucketRow>(holder: Holder, rows: Record<string, unknown>) => ({ ...holder, ...rows }) as FilterQuery<T>;

/** The holder's rows in these buckets (managed: the service updates or removes them). */
export const rowsInBuckets = <T extends BucketRow>(em: EntityManager, entity: EntityName<T>, holder: Holder, buckets: readonly string[]) =>
  em.find(entity, holderRows<T>(holder, { bucket: { $in: [...buckets] } }));

/** Deletes the named attributes of one bucket, or all of it when no names are given. */
export const deleteBucketRows = <T extends BucketRow>(
  em: EntityManager, entity: EntityName<T>, holder: Holder, bucket: string, names?: readonly string[] | null,
) => em.nativeDelete(entity, holderRows<T>(holder, { bucket, ...(names?.length ? { name: { $in: [...names] } } : {}) }));
