import type { Resolvers } from '../generated/types.ts';
import {
  createUserApiKey, listPersonApiKeys, listTenantApiKeys, regenerateUserApiKey, updateUserApiKey,
} from '../../domain/api-key/user-api-key.service.ts';
import { Person } from '../../domain/person/person.entity.ts';

export const apiKeyResolvers: Resolvers = {
  Query: {
    tenantApiKeys: (_, { tenantId }, { em, principal }) => listTenantApiKeys(em, principal, tenantId),
  },
  Mutation: {
    createUserApiKey: (_, { input }, { em, principal, client }) => createUserApiKey(em, principal, input, client),
    regenerateUserApiKey: (_, { id }, { em, principal }) => regenerateUserApiKey(em, principal, id),
    updateUserApiKey: (_, { id, input }, { em, principal }) => updateUserApiKey(em, principal, id, input),
  },
  Person: {
    apiKeys: (person, _, { em }) => listPersonApiKeys(em, person.id),
  },
  UserApiKey: {
    keyFingerprint: (key) => key.keyHash.slice(0, 16),
    person: async (key, _, { em }) => em.findOneOrFail(Person, { id: key.person.id }),
    organization: async (key, _, { loaders }) => (await loaders.organizationById.load(key.organization.id))!,
  },
};
