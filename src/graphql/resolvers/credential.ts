import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import { getPerson } from '../../domain/person/person.service.ts';
import {
  addCredential, deleteCredential, deleteCredentials, exportedPasswordHash, publicParams, requestPasswordReset, rotatePassword, setPasswordHash,
} from '../../domain/credential/credential.service.ts';

const personOf = async (ctx: GraphQLContext, id: string) => {
  const org = await resolveManagedOrganization(ctx.em, ctx.principal);
  return { org, person: await getPerson(ctx.em, org, id) };
};

export const credentialResolvers: Resolvers = {
  Person: {
    credentials: (person, _, { loaders }) => loaders.credentialsByPerson.load(person.id),
  },
  Credential: {
    lastUsed: (c) => c.lastUsedAt ?? null,
    params: (c, _, ctx) => publicParams(c, ctx.services.sealer),
    passwordHash: (c) => exportedPasswordHash(c),
  },
  Mutation: {
    createCredential: async (_, { personId, type, label, params }, ctx) => {
      const { org, person } = await personOf(ctx, personId);
      return addCredential(ctx.em, org, person, type, label, params ?? {}, ctx.services.sealer);
    },
    deleteCredential: async (_, { personId, id }, ctx) => deleteCredential(ctx.em, (await personOf(ctx, personId)).person, id),
    deleteCredentials: async (_, { personId }, ctx) => deleteCredentials(ctx.em, (await personOf(ctx, personId)).person),
    setPasswordHash: async (_, { personId, passwordHash, label }, ctx) => {
      const { org, person } = await personOf(ctx, personId);
      return setPasswordHash(ctx.em, org, person, passwordHash, label);
    },
    requestPasswordReset: async (_, { personId, forceChange, resetHandle }, ctx) => {
      // The token is recorded hashed for the reset flow; delivering it (email/SMS) is not part of this API.
      await requestPasswordReset(ctx.em, (await personOf(ctx, personId)).person, forceChange ?? false, resetHandle);
      return true;
    },
    rotatePassword: async (_, { personId }, ctx) => {
      const { org, person } = await personOf(ctx, personId);
      return rotatePassword(ctx.em, org, person);
    },
  },
};
