// Rules for organizations: who manages whom, tenant creation, API keys.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from './organization.entity.ts';
import { ApiKey } from './api-key.entity.ts';
import { defaultTenantSettings, mergeTenantSettings } from './tenant-settings.ts';
import {
  countAllOrganizations, findByTenantId, findChildrenOf, findOrganization, findOrganizationsOldestFirst, isSameOrAncestor, rootOf, subtreeIds,
} from './organization.queries.ts';
import { nextStoredConfig } from './organization-config.ts';
import { organizationFilter } from './organization-filter.ts';
import { poolMemberIds } from './hierarchy.queries.ts';
import type { PersonView } from '../person/person.entity.ts';
import { Conflict, NotFound, ValidationFailed } from '../errors.ts';
import { flushOrConflict } from '../unique-flush.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import type { Principal } from '../principal.ts';
import type {
  CreateTenantInput, OrganizationConfigInput, OrganizationSelector, TenantSettingsInput,
} from '../schema-types.generated.ts';

export const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Creates an organization with no parent and its first API key (returned in clear, once). */
export async function createRootOrganization(em: EntityManager, name: string) {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 255) {
    throw new ValidationFailed('The organization name must be 1 to 255 characters');
  }
  const id = timeOrderedUuid();
  const organization = em.create(Organization, {
    id, name: trimmed, tenantId: id, tenantSettings: defaultTenantSettings(trimmed),
  });
  const apiKey = newSecretToken();
  em.create(ApiKey, { id: timeOrderedUuid(), organization, keyHash: sha256Hex(apiKey) });
  await em.flush();
  return { organization, apiKey };
}

export async function countOrganizations(em: EntityManager): Promise<number> {
  return countAllOrganizations(em);
}

const notFound = () => new NotFound('Organization not found, or not managed by your credentials');

/** The organization a selector names, if the principal manages it; NOT_FOUND otherwise. */
export async function resolveManagedOrganization(
  em: EntityManager, principal: Principal, select?: OrganizationSelector | null,
): Promise<Organization> {
  let target: Organization | null;
  if (select?.tenantId != null) target = await findByTenantId(em, select.tenantId);
  else if (select?.id != null) target = isUuidShaped(select.id) ? await findOrganization(em, select.id) : null;
  else target = await findOrganization(em, principal.organizationId);
  if (!target) throw notFound();
  // A principal acting as a person reaches its own organization only.
  if (principal.personId !== undefined && target.id !== principal.organizationId) throw notFound();
  if (target.id !== principal.organizationId && !(await isSameOrAncestor(em, principal.organizationId, target.id))) {
    throw notFound();
  }
  return target;
}

/** The organization a managed organization's persons live in: the owner of its person pool. */
export async function resolvePersonsOrganization(
  em: EntityManager, principal: Principal, select?: OrganizationSelector | null,
): Promise<Organization> {
  return (await resolvePersonsOrganizations(em, principal, select)).owner;
}

/** The managed organization acting (`acting`, whose group pool applies) and the owner of its person pool. */
export async function resolvePersonsOrganizations(
  em: EntityManager, principal: Principal, select?: OrganizationSelector | null,
): Promise<{ owner: Organization; acting: Organization }> {
  const acting = await resolveManagedOrganization(em, principal, select);
  if (!acting.personsPool) return { owner: acting, acting };
  return { owner: (await findOrganization(em, acting.personsPool.id)) ?? acting, acting };
}

export async function listManagedOrganizations(em: EntityManager, principal: Principal): Promise<Organization[]> {
  if (principal.personId !== undefined) return findOrganizationsOldestFirst(em, [principal.organizationId]);
  return findOrganizationsOldestFirst(em, await subtreeIds(em, principal.organizationId));
}

export async function createTenant(em: EntityManager, principal: Principal, input: CreateTenantInput) {
  if (!TENANT_ID.test(input.tenantId)) {
    throw new ValidationFailed('tenant_id must be 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit', [
      { loc: ['body', 'tenant_id'], msg: 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', type: 'value_error.str.regex' },
    ]);
  }
  // tenant_id is a global address (/realms/{tenant_id}, /auth/*?tenant_id=): unique across all
  // organizations. A taken one gets this one answer whoever holds it, and a lost race the same.
  const taken = () => new Conflict(`A tenant with tenant_id "${input.tenantId}" already exists; choose another tenant_id`);
  if (await findByTenantId(em, input.tenantId)) throw taken();
  const parent = await findOrganization(em, principal.organizationId);
  if (!parent) throw notFound();
  const settings = mergeTenantSettings(defaultTenantSettings(), input.settings ?? {});
  const organization = em.create(Organization, {
    id: timeOrderedUuid(),
    name: input.name?.trim() || settings.displayName || input.tenantId,
    parent,
    tenantId: input.tenantId,
    tenantSettings: settings,
  });
  await flushOrConflict(em, taken().message);
  return organization;
}

export async function updateTenantSettings(
  em: EntityManager, principal: Principal, select: OrganizationSelector, change: TenantSettingsInput,
) {
  const organization = await resolveManagedOrganization(em, principal, select);
  organization.tenantSettings = mergeTenantSettings(organization.tenantSettings, change);
  await em.flush();
  return organization;
}

/** Stores the values `input` sets (see organization-config.ts) for a managed organization. */
export async function updateOrganizationConfig(
  em: EntityManager, principal: Principal, select: OrganizationSelector | null | undefined, input: OrganizationConfigInput,
) {
  const organization = await resolveManagedOrganization(em, principal, select);
  organization.config = nextStoredConfig(organization.config, input);
  await em.flush();
  return organization;
}

/** The name of the root of the organization's hierarchy (SlashID `tenant_name`). */
export async function tenantNameOf(em: EntityManager, org: Organization): Promise<string> {
  if (!org.parent) return org.name;
  return (await rootOf(em, org.id))?.name ?? org.name;
}

/** The organizations whose parent is `org`, oldest first. */
export const suborganizationsOf = (em: EntityManager, org: Organization) => findChildrenOf(em, org.id);

/** Every organization below `org`, oldest first. */
export async function managedOrganizationsOf(em: EntityManager, org: Organization): Promise<Organization[]> {
  const ids = (await subtreeIds(em, org.id)).filter((id) => id !== org.id);
  return findOrganizationsOldestFirst(em, ids);
}

/**
 * The organizations a person belongs to, narrowed by a SCIM filter over id, org_name, tenant_name
 * and parent_id: its own organization and every organization sharing its person pool (the same
 * person id in each).
 */
export async function organizationsOfPerson(em: EntityManager, person: PersonView, filter?: string | null): Promise<Organization[]> {
  const matches = organizationFilter(filter);
  const org = await findOrganization(em, person.organization.id);
  if (!org) return [];
  const members = await findOrganizationsOldestFirst(em, await poolMemberIds(em, 'persons_pool_id', org.personsPool?.id ?? org.id));
  const tenantName = await tenantNameOf(em, org);
  return members.filter((o) => matches({ id: o.id, org_name: o.name, tenant_name: tenantName, parent_id: o.parent?.id ?? null }));
}
