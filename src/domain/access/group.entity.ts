import { defineEntity, p } from '@mikro-orm/core';
import { Person } from '../person/person.entity.ts';
import { createdAt, namedInOrganization } from '../entity-properties.ts';

/** A named set of persons of one organization. Names are case-sensitive and unique per organization. */
export const GroupSchema = defineEntity({
  name: 'Group',
  tableName: 'access_group',
  properties: {
    ...namedInOrganization(100).properties,
    /** Last change of the group or its members (the SCIM `meta.version`); null until the first one. */
    updatedAt: p.datetime().nullable(),
    /**
     * The SCIM displayName when it is not a valid name (provisioning clients send "Sales Team"; the
     * SlashID name rule has no spaces): the name is then derived from it. Null when it is the name.
     */
    displayName: p.string().length(256).nullable(),
    /** The SCIM externalId a provisioning client gave the group. */
    externalId: p.string().length(255).nullable(),
  },
  uniques: namedInOrganization(100).uniques,
});

export class Group extends GroupSchema.class {}
GroupSchema.setClass(Group);

/** What the graph reads of a group: a managed entity, or a plain row of a batched read (not tracked). */
export type GroupView = Pick<Group, 'id' | 'name' | 'description' | 'createdAt' | 'updatedAt' | 'displayName' | 'externalId'>
  & { organization: { id: string } };

/** A person's membership of a group. */
export const GroupMemberSchema = defineEntity({
  name: 'GroupMember',
  properties: {
    group: () => p.manyToOne(Group).ref().primary().deleteRule('cascade'),
    person: () => p.manyToOne(Person).ref().primary().deleteRule('cascade'),
    createdAt: createdAt(),
  },
  indexes: [{ properties: ['person'] }],
});

export class GroupMember extends GroupMemberSchema.class {}
GroupMemberSchema.setClass(GroupMember);
