import { defineEntity, p } from '@mikro-orm/core';
import { bucketAttribute } from './bucket-attribute.ts';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';

/** One attribute of a person in one bucket: a name (≤70 bytes) and any JSON value (≤64 KiB). */
export const AttributeSchema = defineEntity({
  name: 'Attribute',
  tableName: 'person_attribute',
  properties: {
    person: () => p.manyToOne(Person).ref().primary().deleteRule('cascade'),
    ...bucketAttribute(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
  },
});
export class Attribute extends AttributeSchema.class {}
AttributeSchema.setClass(Attribute);
