// SlashID quotas (endpoint table 1, rows 101–103). This server has one tier: everything the
// reference's tiers can allow is allowed; its count limits are the server's configuration
// (TIER_MAX_PERSONS, TIER_MAX_GROUPS, TIER_MAX_SUBORGANIZATIONS; none by default; a limit left out
// of the answer is none). Usage counts the caller's hierarchy; a limit counts the whole hierarchy
// (root and everything below it), and creating past it is refused with 402.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from './organization.entity.ts';
import { rootOrganizationId, subtreeIds } from './organization.queries.ts';
import { lockOrganizationRow } from './api-key.queries.ts';
import { countGroupsIn, countPersonsIn } from './hierarchy.queries.ts';
import { PaymentRequired } from '../errors.ts';

export interface TierLimits {
  maxSuborganizations?: number;
  maxPersons?: number;
  maxGroups?: number;
}

export interface PricingTier extends TierLimits {
  name: string;
  customTemplatesAllowed: boolean;
  nhiExternalConnectionsAllowed: boolean;
}

const TIER_NAME = 'enterprise-with-nhi';
let limits: TierLimits = {};

/** Sets the server tier's limits (from the configuration, at start). One tier per process. */
export function configureTierLimits(configured: TierLimits) {
  limits = Object.fromEntries(Object.entries(configured).filter(([, v]) => v != null));
}

/** The tier of every organization here (a name of the reference's PricingTier enum). */
export const serverTier = (): PricingTier =>
  ({ name: TIER_NAME, customTemplatesAllowed: true, nhiExternalConnectionsAllowed: true, ...limits });

export const pricingTierOf = (_org: Organization): PricingTier => serverTier();
export const pricingTiers = (): PricingTier[] => [serverTier()];

/** Suborganizations below `org`, and persons and groups in `org` and below it. */
export async function usageOf(em: EntityManager, org: Organization) {
  const ids = await subtreeIds(em, org.id);
  const [persons, groups] = [await countPersonsIn(em, ids), await countGroupsIn(em, ids)];
  return { pricingTier: pricingTierOf(org), suborganizations: ids.length - 1, persons, groups };
}

type Counted = 'persons' | 'groups' | 'suborganizations';
const LIMIT_OF = { persons: 'maxPersons', groups: 'maxGroups', suborganizations: 'maxSuborganizations' } as const;
const VARIABLE_OF = { persons: 'TIER_MAX_PERSONS', groups: 'TIER_MAX_GROUPS', suborganizations: 'TIER_MAX_SUBORGANIZATIONS' } as const;

/**
 * Refuses (402) adding `adding` of `what` to the hierarchy of `organizationId` past the tier's
 * limit. Decided under the lock of the hierarchy's root row, which the caller's transaction holds
 * until it commits: parallel creations at the limit queue there and count each other's rows, so
 * none overshoots. Without a limit nothing is read or locked.
 */
export async function assertWithinTier(em: EntityManager, organizationId: string, what: Counted, adding = 1) {
  const limit = limits[LIMIT_OF[what]];
  if (limit === undefined || adding <= 0) return;
  const root = await rootOrganizationId(em, organizationId);
  if (!root) return; // an unknown organization is the caller's NOT_FOUND to answer
  await lockOrganizationRow(em, root);
  const ids = await subtreeIds(em, root);
  const current = what === 'persons' ? await countPersonsIn(em, ids)
    : what === 'groups' ? await countGroupsIn(em, ids) : ids.length - 1;
  if (current + adding > limit) {
    throw new PaymentRequired(`The ${TIER_NAME} tier of this server allows at most ${limit} ${what} in an organization hierarchy `
      + `(it has ${current}): delete some first, or ask the operator to raise the limit (${VARIABLE_OF[what]})`);
  }
}
