import type { Resolvers } from '../generated/types.ts';
import {
  createUserApiKey, listPersonApiKeys, listTenantApiKeys, regenerateUserApiKey, updateUserApiKey,
} from '../../domain/api-key/user-api-key.service.ts';
import { getPersonById } from '../../domain/person/person.service.ts';

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
    person: async (key, _, { em }) => getPersonById(em, key.person.id),
    organization: async (key, _, { loaders }) => (await loaders.organizationById.load(key.organization.id))!,
  },
};
