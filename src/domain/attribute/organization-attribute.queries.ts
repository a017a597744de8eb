// Data access for organization attributes. Rules (buckets, sizes) are the persons' (attribute.service.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationAttribute } from './organization-attribute.entity.ts';

/** Every attribute row of the organization, by bucket and name. */
export const organizationAttributeRows = (em: EntityManager, organizationId: string) =>
  em.find(OrganizationAttribute, { organization: organizationId }, { orderBy: { bucket: 'asc', name: 'asc' } });
