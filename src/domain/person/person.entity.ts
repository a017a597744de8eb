import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { REGIONS } from './regions.ts';
import { HANDLE_TYPES } from './handles.ts';

/** The SCIM attributes of a person that are not handles or columns (src/domain/scim/user-resource.ts). */
export type ScimProfile = Record<string, unknown>;

/** The schema's PersonType: `regular`, or `anonymous` (created by an anonymous sign-in). */
export const PERSON_TYPES = ['regular', 'anonymous'] as const;

// Person and Handle reference each other (a person's handles, a handle's person), so they are
// declared in one module: two would import each other.

const PersonSchema = defineEntity({
  name: 'Person',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    active: p.boolean().default(true),
    region: p.enum(REGIONS),
    personType: p.enum(PERSON_TYPES).default('regular'),
    isVerified: p.boolean().default(false),
    locale: p.string().length(35).nullable(),
    externalId: p.string().length(255).nullable(),
    /** What SCIM clients send that no other field holds (name, displayName, email types, Enterprise extension…). */
    scimProfile: p.json<ScimProfile>().nullable(),
    handles: () => p.oneToMany(Handle).mappedBy('person'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ properties: ['organization', 'createdAt'] }],
});

export class Person extends PersonSchema.class {}
PersonSchema.setClass(Person);
export { PersonSchema };

/**
 * What the graph reads of a person: a managed entity, or a plain row of a list read (a page of
 * persons is not tracked, so it skips the identity map and hydration).
 */
export type PersonView = Pick<Person, 'id' | 'active' | 'region' | 'personType' | 'isVerified' | 'locale' | 'externalId'
  | 'scimProfile' | 'createdAt' | 'updatedAt'> & { organization: { id: string } };

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
    type: p.enum(HANDLE_TYPES),
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
