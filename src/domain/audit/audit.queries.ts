import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from './audit-event.entity.ts';

export interface AuditFilter {
  operation?: string | null;
  actorId?: string | null;
  actorPersonId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

export async function findAuditEvents(em: EntityManager, organizationIds: string[], filter: AuditFilter,
  limit: number, offset: number): Promise<{ events: AuditEvent[]; totalCount: number }> {
  const where: Record<string, unknown> = { organizationId: { $in: organizationIds } };
  if (filter.operation != null) where.operation = filter.operation;
  if (filter.actorId != null) where.actorId = filter.actorId;
  if (filter.actorPersonId != null) where.actorPersonId = filter.actorPersonId;
  if (filter.since != null || filter.until != null) {
    where.at = { ...(filter.since != null ? { $gte: filter.since } : {}), ...(filter.until != null ? { $lt: filter.until } : {}) };
  }
  const [events, totalCount] = await em.findAndCount(AuditEvent, where,
    { orderBy: { at: 'desc', id: 'desc' }, limit, offset });
  return { events, totalCount };
}
