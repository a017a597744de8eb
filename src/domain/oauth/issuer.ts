// Which issuer a protocol request speaks to: the root issuer (no tenant), or a tenant's realm,
// where only that tenant's clients exist. An unknown tenant is an unknown realm (404).
import type { EntityManager } from '@mikro-orm/postgresql';
import { findByTenantId } from '../organization/organization.queries.ts';
import { NotFound } from '../errors.ts';
import { realmEndpoints, rootEndpoints, type IssuerEndpoints } from './endpoints.ts';

export interface Issuer {
  endpoints: IssuerEndpoints;
  /** The tenant's organization: a realm knows only its clients. Undefined for the root issuer. */
  organizationId?: string;
}

/** The root issuer for `tenantId` null or undefined; the tenant's realm else (NOT_FOUND when unknown). */
export async function resolveIssuer(em: EntityManager, publicUrl: string, tenantId: string | null | undefined): Promise<Issuer> {
  if (tenantId == null) return { endpoints: rootEndpoints(publicUrl) };
  const org = tenantId && tenantId.length <= 128 ? await findByTenantId(em, tenantId) : null;
  if (!org) throw new NotFound('Unknown realm');
  return { endpoints: realmEndpoints(publicUrl, org.tenantId), organizationId: org.id };
}
