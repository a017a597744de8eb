// SlashID quotas (endpoint table 1, rows 101–103): this server's one tier, and the hierarchy's usage.
import { defineRoute, type JsonSchema } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { withoutNulls } from './declaration-pieces.ts';

const PRICING_TIER = /* GraphQL */ `
  fragment PricingTierFields on PricingTierConstraints {
    name custom_templates_allowed: customTemplatesAllowed nhi_external_connections_allowed: nhiExternalConnectionsAllowed
    max_suborganizations: maxSuborganizations max_persons: maxPersons max_groups: maxGroups
  }`;

const tierSchema: JsonSchema = {
  type: 'object', required: ['name', 'custom_templates_allowed', 'nhi_external_connections_allowed'],
  properties: {
    name: { type: 'string' }, custom_templates_allowed: { type: 'boolean' }, nhi_external_connections_allowed: { type: 'boolean' },
    max_suborganizations: { type: 'integer' }, max_persons: { type: 'integer' }, max_groups: { type: 'integer' },
  },
  description: 'A limit left out is no limit',
};

export const getCurrentTier = defineRoute(slashid, {
  method: 'GET', path: '/organizations/quota/current-tier', summary: 'Get current pricing tier details.',
  operation: /* GraphQL */ `query GetCurrentTier { organization { pricingTier { ...PricingTierFields } } } ${PRICING_TIER}`,
  // Limits left out mean none: the reference's schema has them optional, never null.
  respond: (data) => ({ body: withoutNulls(data.organization.pricingTier) }),
  responseSchema: tierSchema,
});

export const getAllTiers = defineRoute(slashid, {
  method: 'GET', path: '/organizations/quota/all-tiers', summary: 'Get details on all pricing tiers.',
  auth: 'slashid_api_key',
  operation: /* GraphQL */ `query GetAllTiers { pricingTiers { ...PricingTierFields } } ${PRICING_TIER}`,
  respond: (data) => ({ body: data.pricingTiers.map(withoutNulls) }),
  responseSchema: { type: 'array', items: tierSchema },
});

export const getUsage = defineRoute(slashid, {
  method: 'GET', path: '/organizations/quota/usage', summary: 'Get resource usage for the organization hierarchy.',
  operation: /* GraphQL */ `
    query GetUsage {
      organization {
        usage {
          pricing_tier_details: pricingTier { ...PricingTierFields }
          num_suborganizations: suborganizations num_persons: persons num_groups: groups
        }
      }
    } ${PRICING_TIER}`,
  respond: ({ organization: { usage } }) => ({ body: { ...usage, pricing_tier_details: withoutNulls(usage.pricing_tier_details) } }),
  responseSchema: {
    type: 'object', required: ['num_suborganizations', 'num_persons', 'num_groups'],
    properties: { pricing_tier_details: tierSchema, num_suborganizations: { type: 'integer' }, num_persons: { type: 'integer' }, num_groups: { type: 'integer' } },
  },
});
