import type { Resolvers } from '../generated/types.ts';
import { rotateOrganizationApiKey } from '../../domain/organization/api-key-rotation.ts';
import { kycConfigOf, updateKycConfig } from '../../domain/organization/kyc-config.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import { pricingTierOf, pricingTiers, usageOf } from '../../domain/organization/quota.ts';
import { addAllowedDomains, allowedDomainsOf, removeAllowedDomains } from '../../domain/organization/allowed-domains.ts';
import {
  createSuborganization, deleteOrganization, listDescendants, poolOrganizationIds,
} from '../../domain/organization/hierarchy.service.ts';

export const organizationPlatformResolvers: Resolvers = {
  Query: {
    descendantOrganizations: (_, { filter }, { em, principal }) => listDescendants(em, principal, filter),
    pricingTiers: () => pricingTiers(),
  },
  Mutation: {
    // Answered once every process has dropped the organization's cached keys (ApiKeyCache.change).
    rotateOrganizationApiKey: (_, __, { em, principal, services }) =>
      services.apiKeys.change(em, principal.organizationId, () => rotateOrganizationApiKey(em, principal)),
    createSuborganization: (_, { input }, { em, principal, services }) =>
      createSuborganization(em, principal, input, services.defaultRegion, services.sealer),
    deleteOrganization: (_, { deleteSuborganizations, confirmationTimestamp }, { em, principal, services }) =>
      services.apiKeys.change(em, principal.organizationId,
        () => deleteOrganization(em, principal, deleteSuborganizations, confirmationTimestamp)),
    addAllowedDomains: (_, { domains, overwrite }, { em, principal }) => addAllowedDomains(em, principal.organizationId, domains, overwrite ?? false),
    updateKycConfig: async (_, { input }, { em, principal }) => updateKycConfig(em, await resolveManagedOrganization(em, principal), input),
    removeAllowedDomains: (_, { domain, all }, { em, principal }) => removeAllowedDomains(em, principal.organizationId, domain, all),
  },
  Organization: {
    personsPoolOrganizationIds: (org, _, { em }) => poolOrganizationIds(em, org, 'persons'),
    groupsPoolOrganizationIds: (org, _, { em }) => poolOrganizationIds(em, org, 'groups'),
    inheritsRbacPools: (org) => org.inheritsRbacPools,
    allowedDomains: (org) => allowedDomainsOf(org),
    pricingTier: (org) => pricingTierOf(org),
    kycConfig: (org) => kycConfigOf(org),
    usage: (org, _, { em }) => usageOf(em, org),
  },
};
