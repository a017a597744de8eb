// Property groups that many entities declare alike, spread into `defineEntity({ properties })`.
// Each call builds fresh property builders, so no two entities share one; the columns, keys and
// delete rules are exactly those the entities spelled out before.
import { p } from '@mikro-orm/core';
import { Person } from './person/person.entity.ts';
import { createdAt, timestamps } from './entity-timestamps.ts';
import { ofOrganization, organizationRow } from './entity-organization-row.ts';

export { createdAt, timestamps, updatedAt } from './entity-timestamps.ts';
export { ofOrganization, organizationRow } from './entity-organization-row.ts';

/** A row of one person (and of that person's organization), gone with either. */
export const ofPerson = () => ({
  ...ofOrganization(),
  person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
});

/** A row of one person with a UUID primary key. */
export const personRow = () => ({ id: p.uuid().primary(), ...ofPerson() });

/**
 * An organization's credentials for an outside party (a third-party service, an identity
 * provider): its row, then `properties`, then when they were made and last changed.
 */
export const organizationCredentials = <P extends object>(properties: P) => ({
  ...organizationRow(), ...properties, ...timestamps(),
});

/** A single-use, expiring secret or challenge: valid until `expiresAt`, spent at `usedAt`. */
export const singleUse = () => ({
  expiresAt: p.datetime(),
  usedAt: p.datetime().nullable(),
  createdAt: createdAt(),
});

/** A named, described thing of one organization (permission, role, group); the name is unique there. */
export const namedInOrganization = (nameLength: number) => ({
  properties: {
    ...organizationRow(),
    name: p.string().length(nameLength),
    description: p.text().nullable(),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['organization', 'name'] as Array<'organization' | 'name'> }],
});
