// Data access for external credentials. Rules live in external-credential.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ExternalCredential } from './external-credential.entity.ts';

export function findExternalCredentialsOf(em: EntityManager, organizationId: string): Promise<ExternalCredential[]> {
  return em.find(ExternalCredential, { organization: organizationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export function countExternalCredentialsOf(em: EntityManager, organizationId: string): Promise<number> {
  return em.count(ExternalCredential, { organization: organizationId });
}

export function findExternalCredential(em: EntityManager, organizationId: string, id: string): Promise<ExternalCredential | null> {
  return em.findOne(ExternalCredential, { organization: organizationId, id });
}

/** Deletes one credential of the organization (`id`) or all of them (`id` undefined); how many. */
export function deleteExternalCredentialsOf(em: EntityManager, organizationId: string, id?: string): Promise<number> {
  return em.nativeDelete(ExternalCredential, { organization: organizationId, ...(id ? { id } : {}) });
}
