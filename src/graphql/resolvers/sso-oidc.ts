import type { Resolvers } from '../generated/types.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import {
  createOidcCredential, deleteOidcCredential, getOidcCredential, listOidcCredentials, updateOidcCredential,
} from '../../domain/sso/oidc-credential.service.ts';
import {
  querySsoOidcTokens, revokeSsoOidcTokenByValue, revokeSsoOidcTokens, ssoOidcTokensOfContainer,
} from '../../domain/sso/oidc-tokens.service.ts';

export const ssoOidcResolvers: Resolvers = {
  Organization: {
    ssoOidcCredentials: (o, { provider }, { em }) => listOidcCredentials(em, o, provider),
    ssoOidcCredential: (o, { clientId }, { em }) => getOidcCredential(em, o, clientId),
  },
  Query: {
    ssoOidcTokensOfContainer: (_, { tokenContainer }, { em, services, principal }) =>
      ssoOidcTokensOfContainer(em, services, principal, tokenContainer),
    ssoOidcTokenQuery: (_, { personId, authenticationIds, tokenTypes }, { em, services, principal }) =>
      querySsoOidcTokens(em, services.sealer, principal, personId, authenticationIds, tokenTypes),
  },
  Mutation: {
    createSsoOidcCredential: async (_, { input }, ctx) =>
      createOidcCredential(ctx.em, await managedOrganizationOf(ctx), input, ctx.services.sealer, ctx.services.sso),
    updateSsoOidcCredential: async (_, { clientId, change }, ctx) =>
      updateOidcCredential(ctx.em, await managedOrganizationOf(ctx), clientId, change, ctx.services.sealer, ctx.services.sso),
    deleteSsoOidcCredential: async (_, { clientId }, ctx) => deleteOidcCredential(ctx.em, await managedOrganizationOf(ctx), clientId),
    revokeSsoOidcTokens: (_, { personId, authenticationId, tokenTypes }, { em, services, principal }) =>
      revokeSsoOidcTokens(em, services, principal, personId, authenticationId, tokenTypes),
    revokeSsoOidcTokenByValue: (_, { clientId, token, tokenType }, { em, services, principal }) =>
      revokeSsoOidcTokenByValue(em, services, principal, clientId, token, tokenType),
  },
  SsoOidcCredential: {
    options: (c) => c.options ?? {},
  },
};
