import type { Resolvers } from '../generated/types.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import { ownedRowFields } from './owned-row-fields.ts';
import {
  createSamlProvider, deleteSamlProvider, samlProviders, updateSamlProvider,
} from '../../domain/sso/saml/saml-provider.service.ts';

export const samlProviderResolvers: Resolvers = {
  Organization: ownedRowFields('samlProviders', 'samlProvider', samlProviders),
  Mutation: {
    createSamlProvider: async (_, { input }, ctx) => createSamlProvider(ctx.em, await managedOrganizationOf(ctx), input, ctx.services.sso.allowHttpLoopback),
    updateSamlProvider: async (_, { id, change }, ctx) => updateSamlProvider(ctx.em, await managedOrganizationOf(ctx), id, change, ctx.services.sso.allowHttpLoopback),
    deleteSamlProvider: async (_, { id }, ctx) => deleteSamlProvider(ctx.em, await managedOrganizationOf(ctx), id),
  },
};
