import { defineEntity, p } from '@mikro-orm/core';
import { updatedAt } from '../entity-timestamps.ts';
import { Organization } from '../organization/organization.entity.ts';

/** One attribute of an organization in one bucket: the persons' bucket engine, keyed by organization. */
const OrganizationAttributeSchema = defineEntity({
  name: 'OrganizationAttribute',
  tableName: 'organization_attribute',
  properties: {
    organization: () => p.manyToOne(Organization).ref().primary().deleteRule('cascade'),
    bucket: p.string().length(64).primary(),
    name: p.string().length(70).primary(),
    value: p.json<unknown>().nullable(),
    updatedAt: updatedAt(),
  },
});
export class OrganizationAttribute extends OrganizationAttributeSchema.class {}
OrganizationAttributeSchema.setClass(OrganizationAttribute);
export { OrganizationAttributeSchema };
