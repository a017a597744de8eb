// Data access for the rows an organization owns and addresses by a UUID id (external credentials,
// SAML providers, OIDC provider credentials, …): listed oldest first, counted for the
// organization's limit (organization-limit.ts), found and deleted only within the organization.
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { isUuidShaped } from '../ids.ts';

/** What such an entity has: a UUID id, its organization, and when it was created. */
export interface OrganizationRow {
  id: string;
  createdAt: Date;
}

const inOrganization = <T>(organizationId: string, id?: string) =>
  ({ organization: organizationId, ...(id === undefined ? {} : { id }) }) as FilterQuery<T>;

export function findRowsOf<T extends OrganizationRow>(em: EntityManager, entity: EntityName<T>, organizationId: string): Promise<T[]> {
  return em.find(entity, inOrganization<T>(organizationId), { orderBy: { createdAt: 'asc', id: 'asc' } as never }) as Promise<T[]>;
}

export function countRowsOf<T extends OrganizationRow>(em: EntityManager, entity: EntityName<T>, organizationId: string): Promise<number> {
  return em.count(entity, inOrganization<T>(organizationId));
}

/** The organization's row `id`; null when there is none (or `id` is no UUID: no row has it). */
export async function findRowOf<T extends OrganizationRow>(
  em: EntityManager, entity: EntityName<T>, organizationId: string, id: string,
): Promise<T | null> {
  return isUuidShaped(id) ? (em.findOne(entity, inOrganization<T>(organizationId, id)) as Promise<T | null>) : null;
}

/** Deletes the organization's row `id` (none when `id` is no UUID), or all its rows when `id` is undefined; how many. */
export async function deleteRowsOf<T extends OrganizationRow>(
  em: EntityManager, entity: EntityName<T>, organizationId: string, id?: string,
): Promise<number> {
  if (id !== undefined && !isUuidShaped(id)) return 0;
  return em.nativeDelete(entity, inOrganization<T>(organizationId, id));
}
