// The RBAC pool (SlashID `inherit_rbac_pools`): a suborganization created inheriting uses the
// roles and permissions of its nearest ancestor that does not inherit (the pool's owner), where
// they are stored, the way a group pool's groups are (group-pool.ts).
//
// What of the reference this follows: permissions are the owner's and read-only in an inheriting
// organization (written only by the owner); roles are visible and assignable in every organization
// of the pool. The reference scopes each role to the organization that created it (`{org_id}/`
// names); here every role of the pool lives with its owner, so a role created in an inheriting
// organization is the pool's role, which any organization of the pool may edit. Assignments are
// per person, never inherited.
import type { Organization } from '../organization/organization.entity.ts';
import { poolOwnerOf, poolOwnerSql } from '../organization/pools.ts';

/** The owner of the RBAC pool an organization uses: itself unless it inherits. */
export const rbacPoolOwnerOf = (org: Pick<Organization, 'id' | 'rbacPool'>) => poolOwnerOf(org, 'rbacPool');

/** Whether the organization's permissions are another's (read-only here). */
export const inheritsPermissions = (org: Pick<Organization, 'id' | 'rbacPool'>) => rbacPoolOwnerOf(org) !== org.id;

/** SQL: the owner of the RBAC pool of the organization (bound parameter). */
export const RBAC_POOL_OWNER = poolOwnerSql('rbacPool');
