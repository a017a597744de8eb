// SlashID quotas (endpoint table 1, rows 101–103). This server has one tier: everything the
// reference's tiers can allow is allowed, and it sets no count limits of its own (the max_* fields
// are left out, which the reference's schema allows). Usage counts the caller's hierarchy.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from './organization.entity.ts';
import { subtreeIds } from './organization.queries.ts';
import { countGroupsIn, countPersonsIn } from './hierarchy.queries.ts';

export interface PricingTier {
  name: string;
  customTemplatesAllowed: boolean;
  nhiExternalConnectionsAllowed: boolean;
  maxSuborganizations?: number;
  maxPersons?: number;
  maxGroups?: number;
}

/** The tier of every organization here (a name of the reference's PricingTier enum). */
export const SERVER_TIER: PricingTier = { name: 'enterprise-with-nhi', customTemplatesAllowed: true, nhiExternalConnectionsAllowed: true };

export const pricingTierOf = (_org: Organization): PricingTier => SERVER_TIER;
export const pricingTiers = (): PricingTier[] => [SERVER_TIER];

/** Suborganizations below `org`, and persons and groups in `org` and below it. */
export async function usageOf(em: EntityManager, org: Organization) {
  const ids = await subtreeIds(em, org.id);
  const [persons, groups] = [await countPersonsIn(em, ids), await countGroupsIn(em, ids)];
  return { pricingTier: pricingTierOf(org), suborganizations: ids.length - 1, persons, groups };
}
