// Data access for person attributes. Rules (buckets, sizes) live in attribute.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Attribute } from './attribute.entity.ts';

/** The person's attribute rows in these buckets (managed: the service updates or removes them). */
export const attributesInBuckets = (em: EntityManager, personId: string, buckets: readonly string[]) =>
  em.find(Attribute, { person: personId, bucket: { $in: [...buckets] } });

/** Deletes the named attributes of one bucket, or all of it when no names are given. */
export const deleteAttributesOf = (em: EntityManager, personId: string, bucket: string, names?: readonly string[] | null) =>
  em.nativeDelete(Attribute, { person: personId, bucket, ...(names?.length ? { name: { $in: [...names] } } : {}) });

/** Attribute rows of many persons (for the DataLoader): one statement. */
export const attributeRowsOfPersons = (em: EntityManager, personIds: readonly string[]) =>
  em.find(Attribute, { person: { $in: [...personIds] } }, { orderBy: { bucket: 'asc', name: 'asc' } });
