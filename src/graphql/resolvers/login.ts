import type { Resolvers } from '../generated/types.ts';
import {
  authenticateWithZkp, issueChallenge, loginTenant, registerWithZkp,
} from '../../domain/login/zkp-login.service.ts';
import { changePassword, requestPasswordReset, resetPassword } from '../../domain/login/password-reset.service.ts';
import { changeEmailWithProof } from '../../domain/login/email-change.service.ts';
import { liftBlock, liftPersonBlock, listActiveBlocks } from '../../domain/login/throttle.service.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import { pageInfoOf } from './pagination.ts';

export const loginResolvers: Resolvers = {
  Mutation: {
    zkpRegister: async (_, { tenantId, authReqId, input }, { em, services }) => {
      await registerWithZkp(em, await loginTenant(em, tenantId, authReqId), input, services.defaultRegion);
      return true;
    },
    zkpChallenge: async (_, { tenantId, authReqId, input }, { em, client }) =>
      issueChallenge(em, await loginTenant(em, tenantId, authReqId), { ...input, authReqId }, client),
    zkpAuthenticate: async (_, { tenantId, authReqId, input }, { em, client }) =>
      authenticateWithZkp(em, await loginTenant(em, tenantId, authReqId), { ...input, authReqId }, client),
    requestSecretReset: async (_, { tenantId, authReqId, clientId, input }, { em, services }) =>
      requestPasswordReset(em, await loginTenant(em, tenantId, authReqId), { ...input, clientId }, services.passwordResetUrl),
    resetSecret: async (_, { tenantId, authReqId, input }, { em }) =>
      resetPassword(em, await loginTenant(em, tenantId, authReqId), input),
    changeMySecret: (_, { input }, { em, principal }) => changePassword(em, principal, input),
    changeEmailWithProof: (_, { org, personId, input }, { em, principal, client }) =>
      changeEmailWithProof(em, principal, org, personId, input, client),
    liftIpBlock: async (_, { org, ip }, { em, principal }) => {
      return liftBlock(em, await resolveManagedOrganization(em, principal, org), 'ip', ip);
    },
    liftUserBlock: async (_, { org, personId }, { em, principal }) => {
      return liftPersonBlock(em, await resolveManagedOrganization(em, principal, org), personId);
    },
  },
  Organization: {
    loginBlocks: (org, { kind, first, offset, direction }, { em, principal }) => {
      return listActiveBlocks(em, org, kind === 'IP' ? 'ip' : 'user',
        { limit: Math.min(Math.max(first ?? 100, 1), 500), offset: Math.max(offset ?? 0, 0), direction: direction ?? 'DESC' });
    },
  },
  LoginBlockConnection: {
    nodes: (page) => page.rows,
    totalCount: (page) => page.totalCount,
    pageInfo: (page) => pageInfoOf(page.offset, page.rows.length, page.totalCount),
  },
};
