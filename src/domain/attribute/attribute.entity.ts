import { defineEntity, p } from '@mikro-orm/core';
import { updatedAt } from '../entity-timestamps.ts';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';

/** One attribute of a person in one bucket: a name (≤70 bytes) and any JSON value (≤64 KiB). */
const AttributeSchema = defineEntity({
  name: 'Attribute',
  tableName: 'person_attribute',
  properties: {
    person: () => p.manyToOne(Person).ref().primary().deleteRule('cascade'),
    bucket: p.string().length(64).primary(),
    name: p.string().length(70).primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    value: p.json<unknown>().nullable(),
    updatedAt: updatedAt(),
  },
});
export class Attribute extends AttributeSchema.class {}
AttributeSchema.setClass(Attribute);
export { AttributeSchema };
