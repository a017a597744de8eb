// The audit log of administrative changes: recorded by the gate in the change's own transaction,
// read by the organization whose credentials made them (and by the organizations above it).
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from './audit-event.entity.ts';
import { findAuditEvents, type AuditFilter } from './audit.queries.ts';
import { subtreeIds } from '../organization/organization.queries.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import { ValidationFailed } from '../errors.ts';
import type { ClientInfo, Principal } from '../principal.ts';
import { storableText } from '../storable.ts';

export type AuditTargets = Record<string, unknown>;
export interface AuditPage { events: AuditEvent[]; totalCount: number; offset: number }

function actorKindOf(principal: Principal): string {
  if (principal.method === 'user_api_key') return 'user_api_key';
  if (principal.method === 'access_token') return 'access_token';
  return 'organization_key';
}

// Targets arrive cut to a length in UTF-16 units, which can split an emoji's surrogate pair; jsonb
// refuses the lone half, so it is written as U+FFFD.
const storable = (value: unknown): unknown =>
  typeof value === 'string' ? storableText(value) : Array.isArray(value) ? value.map(storable) : value;

/** Adds the record to the unit of work of `em` (a transaction's fork) and flushes it there. */
export async function recordAuditEvent(em: EntityManager, principal: Principal, operation: string,
  targets: AuditTargets, client: ClientInfo, requestId: string | undefined): Promise<void> {
  em.create(AuditEvent, {
    id: timeOrderedUuid(),
    organizationId: principal.organizationId,
    actorKind: actorKindOf(principal),
    actorId: principal.keyId ?? principal.clientId ?? null,
    actorPersonId: principal.personId ?? null,
    operation,
    targets: Object.fromEntries(Object.entries(targets).map(([name, value]) => [name, storable(value)])),
    ip: client.ip?.slice(0, 64) ?? null,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
    requestId: requestId ?? null,
  } as never);
  await em.flush();
}

export async function listAuditEvents(em: EntityManager, principal: Principal, filter: AuditFilter,
  limit: number, offset: number): Promise<AuditPage> {
  if (filter.actorPersonId != null && !isUuidShaped(filter.actorPersonId)) {
    throw new ValidationFailed('filter.actorPersonId must be a person id (a UUID)');
  }
  const organizations = await subtreeIds(em, principal.organizationId);
  return { ...(await findAuditEvents(em, organizations, filter, limit, offset)), offset };
}
