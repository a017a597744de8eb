import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import {
  contentOf, createExternalCredential, deleteExternalCredentials, getExternalCredential, listExternalCredentials,
  updateExternalCredential,
} from '../../domain/external-credential/external-credential.service.ts';

const org = ({ em, principal }: GraphQLContext) => resolveManagedOrganization(em, principal);

export const externalCredentialResolvers: Resolvers = {
  Organization: {
    externalCredentials: (o, _, { em }) => listExternalCredentials(em, o),
    externalCredential: (o, { id }, { em }) => getExternalCredential(em, o, id),
  },
  Mutation: {
    createExternalCredential: async (_, { input }, ctx) => createExternalCredential(ctx.em, await org(ctx), input, ctx.services.sealer),
    updateExternalCredential: async (_, { id, change }, ctx) => updateExternalCredential(ctx.em, await org(ctx), id, change, ctx.services.sealer),
    deleteExternalCredentials: async (_, { id, all }, ctx) => deleteExternalCredentials(ctx.em, await org(ctx), id, all),
  },
  ExternalCredential: {
    organizationId: (c) => c.organization.id,
    content: (c, _, { services }) => contentOf(services.sealer, c),
  },
};
