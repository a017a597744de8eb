import type { Resolvers } from '../generated/types.ts';
import {
  createTenant, listManagedOrganizations, managedOrganizationsOf, suborganizationsOf, tenantNameOf, resolveManagedOrganization,
  updateOrganizationConfig, updateTenantSettings,
} from '../../domain/organization/organization.service.ts';
import { getPerson, getPersonByHandle, listPersons } from '../../domain/person/person.service.ts';
import { pageArgs } from './pagination.ts';
import { organizationConfigOf } from '../../domain/organization/organization-config.ts';

export const organizationResolvers: Resolvers = {
  Query: {
    organization: (_, { select }, { em, principal }) => resolveManagedOrganization(em, principal, select),
    organizations: (_, __, { em, principal }) => {
      return listManagedOrganizations(em, principal);
    },
  },
  Mutation: {
    createTenant: (_, { input }, { em, principal }) => {
      return createTenant(em, principal, input);
    },
    updateOrganizationConfig: (_, { select, input }, { em, principal }) => {
      return updateOrganizationConfig(em, principal, select, input);
    },
    updateTenantSettings: (_, { select, settings }, { em, principal }) => {
      return updateTenantSettings(em, principal, select, settings);
    },
  },
  Organization: {
    parent: (org, _, { loaders }) => (org.parent ? loaders.organizationById.load(org.parent.id) : null),
    tenantSettings: (org, _, { principal }) => {
      return org.tenantSettings;
    },
    tenantName: (org, _, { em }) => tenantNameOf(em, org),
    config: (org, _, { principal }) => {
      return organizationConfigOf(org);
    },
    managedOrganizations: (org, _, { em }) => managedOrganizationsOf(em, org),
    suborganizations: (org, _, { em }) => suborganizationsOf(em, org),
    person: (org, { id }, { em, principal }) => {
      return getPerson(em, org, id);
    },
    personByHandle: (org, { handle }, { em, principal }) => {
      return getPersonByHandle(em, org, handle);
    },
    persons: (org, args, { em, principal }) => {
      return listPersons(em, { organizationId: org.id, ...pageArgs(args), filter: args.filter, orderBy: args.orderBy });
    },
  },
};
