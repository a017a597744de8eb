import type { Resolvers } from '../generated/types.ts';
import { rotateOrganizationApiKey } from '../../domain/organization/api-key-rotation.ts';

export const organizationPlatformResolvers: Resolvers = {
  Mutation: {
    rotateOrganizationApiKey: (_, __, { em, principal }) => rotateOrganizationApiKey(em, principal),
  },
};
