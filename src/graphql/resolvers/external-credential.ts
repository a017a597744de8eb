import type { Resolvers } from '../generated/types.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import {
  contentOf, createExternalCredential, deleteExternalCredentials, getExternalCredential, listExternalCredentials,
  updateExternalCredential,
} from '../../domain/external-credential/external-credential.service.ts';

export const externalCredentialResolvers: Resolvers = {
  Organization: {
    externalCredentials: (o, _, { em }) => listExternalCredentials(em, o),
    externalCredential: (o, { id }, { em }) => getExternalCredential(em, o, id),
  },
  Mutation: {
    createExternalCredential: async (_, { input }, ctx) => createExternalCredential(ctx.em, await managedOrganizationOf(ctx), input, ctx.services.sealer),
    updateExternalCredential: async (_, { id, change }, ctx) => updateExternalCredential(ctx.em, await managedOrganizationOf(ctx), id, change, ctx.services.sealer),
    deleteExternalCredentials: async (_, { id, all }, ctx) => deleteExternalCredentials(ctx.em, await managedOrganizationOf(ctx), id, all),
  },
  ExternalCredential: {
    organizationId: (c) => c.organization.id,
    content: (c, _, { services }) => contentOf(services.sealer, c),
  },
};
