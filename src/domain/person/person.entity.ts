import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { Handle } from './handle.entity.ts';

const PersonSchema = defineEntity({
  name: 'Person',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    active: p.boolean().default(true),
    region: p.string().length(32),
    personType: p.string().length(16).default('regular'),
    isVerified: p.boolean().default(false),
    locale: p.string().length(35).nullable(),
    externalId: p.string().length(255).nullable(),
    handles: () => p.oneToMany(Handle).mappedBy('person'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ properties: ['organization', 'createdAt'] }],
});

export class Person extends PersonSchema.class {}
PersonSchema.setClass(Person);
export { PersonSchema };
