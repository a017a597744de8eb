import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from './person.entity.ts';

/**
 * A way to find a person: email address, phone number or username. `normalized` is the value
 * compared for uniqueness within an organization (lower-cased emails and usernames).
 */
const HandleSchema = defineEntity({
  name: 'Handle',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
    type: p.string().length(16),
    value: p.string().length(320),
    normalized: p.string().length(320),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['organization', 'type', 'normalized'] }],
  indexes: [{ properties: ['person'] }],
});

export class Handle extends HandleSchema.class {}
HandleSchema.setClass(Handle);
export { HandleSchema };
