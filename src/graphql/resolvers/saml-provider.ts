import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import {
  createSamlProvider, deleteSamlProvider, getSamlProvider, listSamlProviders, updateSamlProvider,
} from '../../domain/sso/saml/saml-provider.service.ts';

const org = ({ em, principal }: GraphQLContext) => resolveManagedOrganization(em, principal);

export const samlProviderResolvers: Resolvers = {
  Organization: {
    samlProviders: (o, _, { em }) => listSamlProviders(em, o),
    samlProvider: (o, { id }, { em }) => getSamlProvider(em, o, id),
  },
  Mutation: {
    createSamlProvider: async (_, { input }, ctx) => createSamlProvider(ctx.em, await org(ctx), input, ctx.services.sso.allowHttpLoopback),
    updateSamlProvider: async (_, { id, change }, ctx) => updateSamlProvider(ctx.em, await org(ctx), id, change, ctx.services.sso.allowHttpLoopback),
    deleteSamlProvider: async (_, { id }, ctx) => deleteSamlProvider(ctx.em, await org(ctx), id),
  },
};
