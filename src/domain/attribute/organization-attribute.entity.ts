import { defineEntity, p } from '@mikro-orm/core';
import { bucketAttribute } from './bucket-attribute.ts';
import { Organization } from '../organization/organization.entity.ts';

/** One attribute of an organization in one bucket: the persons' bucket engine, keyed by organization. */
export const OrganizationAttributeSchema = defineEntity({
  name: 'OrganizationAttribute',
  properties: {
    organization: () => p.manyToOne(Organization).ref().primary().deleteRule('cascade'),
    ...bucketAttribute(),
  },
});
export class OrganizationAttribute extends OrganizationAttributeSchema.class {}
OrganizationAttributeSchema.setClass(OrganizationAttribute);
