// The group pool (SlashID `groups_org_id`): an organization sharing another's group pool reads and
// writes the owner's groups, so a group is the same group (one id, one member list) in every
// organization of the pool. Groups are stored with the owner.
import type { Organization } from '../organization/organization.entity.ts';
import { poolOwnerOf, poolOwnerSql } from '../organization/pools.ts';

/** The owner of the group pool an organization uses: itself unless it shares another's. */
export const groupsPoolOwnerOf = (org: Pick<Organization, 'id' | 'groupsPool'>) => poolOwnerOf(org, 'groupsPool');

/** SQL: the owner of the group pool of the organization (bound parameter). */
export const GROUPS_POOL_OWNER = poolOwnerSql('groupsPool');
