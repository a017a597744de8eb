// The row of one organization, apart from entity-properties.ts so that the person entities (which
// entity-properties.ts imports for ofPerson) can be such rows too without an import cycle.
import { p } from '@mikro-orm/core';
import { Organization } from './organization/organization.entity.ts';

/** A row of one organization, gone with it. */
export const ofOrganization = () => ({
  organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
});

/** A row of one organization with a UUID primary key. */
export const organizationRow = () => ({ id: p.uuid().primary(), ...ofOrganization() });
