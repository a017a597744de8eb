// Data access for organization attributes. Rules (buckets, sizes) are the persons' (attribute.service.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationAttribute } from './organization-attribute.entity.ts';

/** Every attribute row of the organization, by bucket and name. */
export const organizationAttributeRows = (em: EntityManager, organizationId: string) =>
  em.find(OrganizationAttribute, { organization: organizationId }, { orderBy: { bucket: 'asc', name: 'asc' } });

/** The organization's rows in these buckets (managed: the service updates or removes them). */
export const organizationAttributesInBuckets = (em: EntityManager, organizationId: string, buckets: readonly string[]) =>
  em.find(OrganizationAttribute, { organization: organizationId, bucket: { $in: [...buckets] } });

/** Deletes the named attributes of one bucket, or all of it when no names are given. */
export const deleteOrganizationAttributesOf = (em: EntityManager, organizationId: string, bucket: string, names?: readonly string[] | null) =>
  em.nativeDelete(OrganizationAttribute, { organization: organizationId, bucket, ...(names?.length ? { name: { $in: [...names] } } : {}) });
