// The SlashID organization hierarchy (endpoint table 1, rows 87, 88, 96, 97): suborganizations with
// their person and group pools, and deleting an organization.
//
// A pool is named by its owner: `personsPool` / `groupsPool` point at the owner, never at an
// organization that itself uses another's pool, so the members of a pool are one indexed lookup.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { Organization } from './organization.entity.ts';
import { ApiKey } from './api-key.entity.ts';
import { defaultTenantSettings } from './tenant-settings.ts';
import { findOrganization, findOrganizationsOldestFirst, subtreeIds } from './organization.queries.ts';
import { lockOrganizationRow } from './api-key.queries.ts';
import { countChildrenOf, deleteOrganizationRow, poolMemberIds, poolUsersOutside, type PoolColumn } from './hierarchy.queries.ts';
import { organizationFilter } from './organization-filter.ts';
import { assertWithinTier } from './quota.ts';
import { resolveManagedOrganization, tenantNameOf } from './organization.service.ts';
import { dedupe, upsertPerson } from '../person/person.service.ts';
import { personsPoolOwnerOf } from '../person/person-lookup.ts';
import { groupsPoolOwnerOf } from '../access/group-pool.ts';
import { rbacPoolOwnerOf } from '../access/rbac-pool.ts';
import type { RegionName } from '../person/regions.ts';
import { Conflict, NotFound, PreconditionFailed, ValidationFailed } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import type { Sealer } from '../../crypto/sealed.ts';
import type { Principal } from '../principal.ts';
import type { CreateSuborganizationInput } from '../schema-types.generated.ts';

export const MAX_ORGANIZATION_NAME = 255;
export const MAX_ADMINS = 100;
/** How old `confirmation_timestamp` must be to delete suborganizations too (SlashID: −60 s … −10 s). */
export const CONFIRMATION_AGE_SECONDS = { min: 10, max: 60 } as const;

const notFound = () => new NotFound('Organization not found, or not managed by your credentials');

export { groupsPoolOwnerOf };

/** The organizations sharing the pool `org` uses (itself included), oldest first. */
export function poolOrganizationIds(em: EntityManager, org: Organization, pool: 'persons' | 'groups'): Promise<string[]> {
  const column: PoolColumn = pool === 'persons' ? 'persons_pool_id' : 'groups_pool_id';
  return poolMemberIds(em, column, pool === 'persons' ? personsPoolOwnerOf(org) : groupsPoolOwnerOf(org));
}

/** Every organization below the caller's, narrowed by a SCIM filter over name, id and parent_org_id. */
export async function listDescendants(em: EntityManager, principal: Principal, filter?: string | null): Promise<Organization[]> {
  const matches = organizationFilter(filter); // a malformed filter is refused before any read
  if (principal.personId !== undefined) return []; // a person's key reaches its own organization only
  const own = await findOrganization(em, principal.organizationId);
  if (!own) throw notFound();
  const ids = (await subtreeIds(em, own.id)).filter((id) => id !== own.id);
  const tenantName = await tenantNameOf(em, own);
  return (await findOrganizationsOldestFirst(em, ids)).filter((org) =>
    matches({ id: org.id, org_name: org.name, tenant_name: tenantName, parent_id: org.parent?.id ?? null }));
}

function assertName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > MAX_ORGANIZATION_NAME) {
    throw new ValidationFailed(`sub_org_name must be 1 to ${MAX_ORGANIZATION_NAME} characters (not only spaces)`);
  }
  return trimmed;
}

/** The owner of the pool of `orgId`, which the caller must manage (its own organization or one below). */
async function poolOwner(em: EntityManager, principal: Principal, orgId: string | null | undefined, pool: 'persons' | 'groups') {
  if (orgId == null) return null;
  // SlashID answers a pool it cannot share with 412; unknown and foreign ids alike, so none leaks.
  const org = await resolveManagedOrganization(em, principal, { id: orgId }).catch((error: unknown) => {
    if (!(error instanceof NotFound)) throw error;
    throw new PreconditionFailed(`${pool}_org_id names no organization you manage: name yours or one below it`);
  });
  const owner = pool === 'persons' ? personsPoolOwnerOf(org) : groupsPoolOwnerOf(org);
  return em.getReference(Organization, owner);
}

/** Creates an organization below the caller's, its admins (in its person pool) and its first key. */
export async function createSuborganization(
  em: EntityManager, principal: Principal, input: CreateSuborganizationInput, defaultRegion?: RegionName, sealer?: Sealer,
) {
  const name = assertName(input.name);
  const admins = dedupe(input.admins);
  if (admins.length === 0 || admins.length > MAX_ADMINS) throw new ValidationFailed(`admins must name 1 to ${MAX_ADMINS} handles`);
  // The tier's limit first: it locks the hierarchy's root row, and every creation takes the root
  // before any other organization row (a person's insert takes its organization's key share), so
  // two creations never wait on each other in opposite orders.
  await assertWithinTier(em, principal.organizationId, 'suborganizations');
  // Creating below an organization queues behind its deletion (and the other way round), so no
  // suborganization appears under an organization that is being deleted.
  if (!(await lockOrganizationRow(em, principal.organizationId))) throw notFound();
  const parent = await findOrganization(em, principal.organizationId);
  if (!parent) throw notFound();
  const personsPool = await poolOwner(em, principal, input.personsOrgId, 'persons');
  const groupsPool = await poolOwner(em, principal, input.groupsOrgId, 'groups');
  const inheritsRbacPools = input.inheritRbacPools ?? false;
  // The nearest ancestor that does not inherit: the parent's pool owner (fixed, as the flag is).
  const rbacPool = inheritsRbacPools ? em.getReference(Organization, rbacPoolOwnerOf(parent)) : null;
  const id = timeOrderedUuid();
  const organization = em.create(Organization, {
    id, name, parent, tenantId: id, tenantSettings: defaultTenantSettings(name),
    personsPool, groupsPool, inheritsRbacPools, rbacPool,
  });
  const apiKey = newSecretToken();
  em.create(ApiKey, { id: timeOrderedUuid(), organization, keyHash: sha256Hex(apiKey) });
  await em.flush();
  // An admin is a person of the pool: one who already holds the handle there is that person.
  const adminsOrg = personsPool ? await findOrganization(em, personsPool.id) : organization;
  if (!adminsOrg) throw notFound();
  for (const handle of admins) await upsertPerson(em, adminsOrg, { handles: [handle] }, defaultRegion, sealer);
  return { organization, apiKey };
}

/** How many seconds before `now` the timestamp lies, or a VALIDATION_FAILED outside the window. */
function assertConfirmation(timestamp: Date | null | undefined, now: Date) {
  const { min, max } = CONFIRMATION_AGE_SECONDS;
  const hint = `send confirmation_timestamp as an RFC 3339 time ${min} to ${max} seconds before now`;
  if (!timestamp) throw new ValidationFailed(`delete_suborganizations deletes every organization below this one: ${hint}`);
  const age = (now.getTime() - timestamp.getTime()) / 1000;
  if (!(age >= min && age <= max)) {
    throw new ValidationFailed(`confirmation_timestamp is ${Math.round(age)} s before now; ${hint}`);
  }
}

/** Deletes the caller's organization (and, when confirmed, everything below it). */
export async function deleteOrganization(
  em: EntityManager, principal: Principal, deleteSuborganizations: boolean | null | undefined,
  confirmationTimestamp: Date | null | undefined, now = new Date(),
): Promise<boolean> {
  if (deleteSuborganizations) assertConfirmation(confirmationTimestamp, now);
  if (!(await lockOrganizationRow(em, principal.organizationId))) throw notFound();
  const org = await findOrganization(em, principal.organizationId);
  if (!org) throw notFound();
  if (!org.parent) throw new Conflict('A root organization cannot be deleted; only organizations below it can');
  if (!deleteSuborganizations && (await countChildrenOf(em, org.id)) > 0) {
    throw new Conflict('This organization has suborganizations: delete them first, or send delete_suborganizations=true '
      + `with a confirmation_timestamp ${CONFIRMATION_AGE_SECONDS.min} to ${CONFIRMATION_AGE_SECONDS.max} seconds in the past`);
  }
  const doomed = await subtreeIds(em, org.id);
  const inUse = () => new Conflict('Another organization shares the person or group pool of this organization '
    + '(or of one below it): delete that organization first');
  if ((await poolUsersOutside(em, doomed)) > 0) throw inUse();
  try {
    await deleteOrganizationRow(em, org.id);
  } catch (error) {
    // An organization that started sharing a pool meanwhile: the foreign key keeps the owner.
    if (error instanceof ForeignKeyConstraintViolationException) throw inUse();
    throw error;
  }
  return true;
}
