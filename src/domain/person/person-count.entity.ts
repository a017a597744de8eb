import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';

/**
 * How many persons an organization has (all, and `regular` ones), kept by statement-level triggers
 * on `person` (person.entity.ts) in the transaction that inserts, deletes or moves them: a list's
 * `total_count` reads one row instead of counting the organization, so it costs the same at ten
 * thousand persons and at a million.
 */
export const PersonCountSchema = defineEntity({
  name: 'PersonCount',
  properties: {
    organization: () => p.manyToOne(Organization).ref().primary().deleteRule('cascade'),
    regular: p.bigint('number').default(0),
    total: p.bigint('number').default(0),
    /** Statements that added, removed or moved persons of the organization (page-boundaries.ts). */
    changes: p.bigint('number').default(0),
  },
});

export class PersonCount extends PersonCountSchema.class {}
PersonCountSchema.setClass(PersonCount);
