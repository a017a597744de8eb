import type { Resolvers } from '../generated/types.ts';
import { rotateOrganizationApiKey } from '../../domain/organization/api-key-rotation.ts';
import {
  createSuborganization, deleteOrganization, listDescendants, poolOrganizationIds,
} from '../../domain/organization/hierarchy.service.ts';

export const organizationPlatformResolvers: Resolvers = {
  Query: {
    descendantOrganizations: (_, { filter }, { em, principal }) => listDescendants(em, principal, filter),
  },
  Mutation: {
    rotateOrganizationApiKey: (_, __, { em, principal }) => rotateOrganizationApiKey(em, principal),
    createSuborganization: (_, { input }, { em, principal, services }) =>
      createSuborganization(em, principal, input, services.defaultRegion, services.sealer),
    deleteOrganization: (_, { deleteSuborganizations, confirmationTimestamp }, { em, principal }) =>
      deleteOrganization(em, principal, deleteSuborganizations, confirmationTimestamp),
  },
  Organization: {
    personsPoolOrganizationIds: (org, _, { em }) => poolOrganizationIds(em, org, 'persons'),
    groupsPoolOrganizationIds: (org, _, { em }) => poolOrganizationIds(em, org, 'groups'),
    inheritsRbacPools: (org) => org.inheritsRbacPools,
  },
};
