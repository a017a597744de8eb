// Data access for person attributes. Rules (buckets, sizes) live in attribute.service.ts.
import { asKeys, runRead, type Keys, type ListRead } from '../list-reads.queries.ts';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Holds the person's row until the end of the writing transaction: writers of one person's
 * attributes take turns, so two that add the same new name do not both insert it.
 */
export async function lockPersonForAttributes(em: EntityManager, personId: string): Promise<void> {
  await em.execute('select 1 from person where id = ? for update', [personId]);
}

/** An attribute as reads need it: plain rows, nothing tracked. */
export interface AttributeValue { personId: string; bucket: string; name: string; value: unknown }

export const attributesOfPersonsRead = (personIds: readonly string[] | Keys): ListRead<AttributeValue> => ({
  sql: `select person_id as "personId", bucket, name, value from person_attribute
     where person_id ${asKeys(personIds).match} order by bucket, name`,
  params: asKeys(personIds).params,
  map: (rows) => rows as unknown as AttributeValue[],
});
export const attributeRowsOfPersons = async (em: EntityManager, personIds: readonly string[]): Promise<AttributeValue[]> =>
  (personIds.length === 0 ? [] : runRead(em, attributesOfPersonsRead(personIds)));
