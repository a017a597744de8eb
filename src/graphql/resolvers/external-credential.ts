import type { Resolvers } from '../generated/types.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import { ownedRowFields } from './owned-row-fields.ts';
import {
  contentOf, createExternalCredential, deleteExternalCredentials, externalCredentials, updateExternalCredential,
} from '../../domain/external-credential/external-credential.service.ts';

export const externalCredentialResolvers: Resolvers = {
  Organization: ownedRowFields('externalCredentials', 'externalCredential', externalCredentials),
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
