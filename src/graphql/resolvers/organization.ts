import type { Resolvers } from '../generated/types.ts';
import {
  createTenant, listManagedOrganizations, managedOrganizationsOf, tenantNameOf, resolveManagedOrganization, updateTenantSettings,
} from '../../domain/organization/organization.service.ts';
import { getPerson, getPersonByHandle } from '../../domain/person/person.service.ts';
import { findPersonPage } from '../../domain/person/person.queries.ts';
import { Organization } from '../../domain/organization/organization.entity.ts';
import { pageArgs } from './pagination.ts';

export const organizationResolvers: Resolvers = {
  Query: {
    organization: (_, { select }, { em, principal }) => resolveManagedOrganization(em, principal, select),
    organizations: (_, __, { em, principal }) => listManagedOrganizations(em, principal),
  },
  Mutation: {
    createTenant: (_, { input }, { em, principal }) => createTenant(em, principal, input),
    updateTenantSettings: (_, { select, settings }, { em, principal }) =>
      updateTenantSettings(em, principal, select, settings),
  },
  Organization: {
    parent: (org, _, { loaders }) => (org.parent ? loaders.organizationById.load(org.parent.id) : null),
    tenantName: (org, _, { em }) => tenantNameOf(em, org),
    managedOrganizations: (org, _, { em }) => managedOrganizationsOf(em, org),
    suborganizations: (org, _, { em }) => em.find(Organization, { parent: org.id }, { orderBy: { createdAt: 'asc' } }),
    person: (org, { id }, { em }) => getPerson(em, org, id),
    personByHandle: (org, { handle }, { em }) => getPersonByHandle(em, org, handle),
    persons: (org, args, { em }) => findPersonPage(em, { organizationId: org.id, ...pageArgs(args), filter: args.filter, orderBy: args.orderBy }),
  },
};
