import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, timestamps } from '../entity-timestamps.ts';
import { organizationRow } from '../entity-organization-row.ts';
import { REGIONS } from './regions.ts';
import { HANDLE_TYPES } from './handles.ts';

/** The SCIM attributes of a person that are not handles or columns (src/domain/scim/user-resource.ts). */
export type ScimProfile = Record<string, unknown>;

/** The schema's PersonType: `regular`, or `anonymous` (created by an anonymous sign-in). */
export const PERSON_TYPES = ['regular', 'anonymous'] as const;

// Person and Handle reference each other (a person's handles, a handle's person), so they are
// declared in one module: two would import each other.

/** Counts of persons per organization: one statement's rows (its transition tables) at a time. */
const countDelta = (rows: string, sign: '' | '-') => `select organization_id, ${sign}count(*) filter (where person_type = 'regular') as regular, `
  + `${sign}count(*) as total from ${rows} group by organization_id`;
// `changes` goes up with every statement that adds, removes or moves persons: a page boundary
// remembered at some `changes` (page-boundaries.ts) is still at the same offset while it is equal.
const addCounts = (deltas: string) => `insert into person_count as c (organization_id, regular, total, changes) `
  + `select organization_id, sum(regular), sum(total), 1 from (${deltas}) d group by organization_id `
  + `on conflict (organization_id) do update set regular = c.regular + excluded.regular, total = c.total + excluded.total, changes = c.changes + 1`;
const countTrigger = (name: string, event: string, transition: string, body: string) => ({
  name, timing: 'after' as const, events: [event.split(' ')[0].toLowerCase() as 'insert' | 'update' | 'delete'], forEach: 'statement' as const,
  expression: `create or replace function person_${name}_fn() returns trigger as $$ begin ${body}; return null; end; $$ language plpgsql;\n`
    + `create trigger ${name} after ${event} on person referencing ${transition} for each statement execute function person_${name}_fn()`,
});
/** The rows of an UPDATE whose person type or organization changed (the only updates that move a person between counts or pages). */
const MOVED = (side: 'moved_to' | 'moved_from') => `(select ${side}.* from moved_to join moved_from using (id) `
  + `where moved_to.person_type <> moved_from.person_type or moved_to.organization_id <> moved_from.organization_id) ${side}`;
// Updates that move no person write nothing (no lock on the count). Deletes only subtract from existing counts: an organization being deleted takes its count with it.
const PERSON_COUNT_TRIGGERS = [
  countTrigger('person_count_insert', 'INSERT', 'new table as added', addCounts(countDelta('added', ''))),
  countTrigger('person_count_delete', 'DELETE', 'old table as removed',
    `update person_count c set regular = c.regular - d.regular, total = c.total - d.total, changes = c.changes + 1 from (${countDelta('removed', '')}) d `
    + `where c.organization_id = d.organization_id`),
  countTrigger('person_count_update', 'UPDATE', 'old table as moved_from new table as moved_to',
    addCounts(`${countDelta(MOVED('moved_to'), '')} union all ${countDelta(MOVED('moved_from'), '-')}`)),
];

export const PersonSchema = defineEntity({
  name: 'Person',
  properties: {
    ...organizationRow(),
    active: p.boolean().default(true),
    region: p.enum(REGIONS),
    personType: p.enum(PERSON_TYPES).default('regular'),
    isVerified: p.boolean().default(false),
    locale: p.string().length(35).nullable(),
    externalId: p.string().length(255).nullable(),
    /** What SCIM clients send that no other field holds (name, displayName, email types, Enterprise extension…). */
    scimProfile: p.json<ScimProfile>().nullable(),
    handles: () => p.oneToMany(Handle).mappedBy('person'),
    ...timestamps(),
  },
  // (organization, created_at, id) is the order of every list: a page is read off the index, and a
  // deep page of regular persons skips its offset within the partial index alone (no table reads).
  indexes: [
    { properties: ['organization', 'createdAt', 'id'] },
    { name: 'person_regular_page_index', properties: ['organization', 'createdAt', 'id'], where: { personType: 'regular' } },
  ],
  triggers: PERSON_COUNT_TRIGGERS,
});

export class Person extends PersonSchema.class {}
PersonSchema.setClass(Person);

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
export const HandleSchema = defineEntity({
  name: 'Handle',
  properties: {
    ...organizationRow(),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
    type: p.enum(HANDLE_TYPES),
    value: p.string().length(320),
    normalized: p.string().length(320),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['organization', 'type', 'normalized'] }],
  indexes: [{ properties: ['person'] }],
});

export class Handle extends HandleSchema.class {}
HandleSchema.setClass(Handle);
