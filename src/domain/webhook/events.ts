// Events: written to the outbox (`event_outbox`) in the transaction of the change that emits them,
// with the reference's `event_metadata`. Once that transaction commits, the senders of this process
// are woken; other processes find the event at their next poll.
import crypto from 'node:crypto';
import { TransactionPropagation } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterCommit } from '../../db/transactions.ts';
import { WebhookEvent } from './webhook.entity.ts';

export const EVENT_NAMES = [
  'PersonCreated_v1', 'PersonDeleted_v1', 'PersonUpdated_v1', 'GroupMembershipChanged_v1', 'RoleAssigned_v1',
  'AuthenticationSucceeded_v1', 'AuthenticationFailed_v1', 'TokenMinted_v1', 'PasswordChanged_v1', 'ApiKeyRotated_v1',
] as const;
export type EventName = typeof EVENT_NAMES[number];

const wakers = new Set<() => void>();

/** A sender registers here to hear of committed events (returns the unregister function). */
export function onEventsCommitted(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

export function wakeEventSenders(): void {
  for (const wake of wakers) wake();
}

/** The `event_metadata` of a new event. */
export function eventMetadata(organizationId: string, name: string, eventId = crypto.randomUUID()) {
  const [type, version] = name.split(/_v(?=\d+$)/);
  return {
    event_id: eventId, event_name: name, event_type: type, event_version: `v${version ?? '1'}`,
    organization_id: organizationId, source: 'idgraph', timestamp: new Date().toISOString(),
  };
}

/**
 * Adds the event to the unit of work of `em` and flushes it there: inside a transaction (the gate's
 * audited mutations) it commits or rolls back with the change.
 */
export async function emitEvent(em: EntityManager, organizationId: string, name: EventName | string,
  fields: Record<string, unknown>, extraMetadata: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const metadata = { ...eventMetadata(organizationId, name), ...extraMetadata };
  const content = { event_metadata: metadata, ...fields };
  // A test event may repeat an event id on purpose (duplicates): its outbox row gets an id of its own.
  const id = extraMetadata.event_id ? crypto.randomUUID() : metadata.event_id;
  em.create(WebhookEvent, { id, organizationId, eventName: name, content } as never);
  await em.flush();
  await afterCommit(em, async () => wakeEventSenders());
  return content;
}

/** One event per entry of `fieldsList`, flushed together (one INSERT): a bulk change's events. */
export async function emitEvents(em: EntityManager, organizationId: string, name: EventName, fieldsList: Record<string, unknown>[]) {
  if (!fieldsList.length) return;
  for (const fields of fieldsList) {
    const metadata = eventMetadata(organizationId, name);
    em.create(WebhookEvent, { id: metadata.event_id, organizationId, eventName: name, content: { event_metadata: metadata, ...fields } } as never);
  }
  await em.flush();
  await afterCommit(em, async () => wakeEventSenders());
}

/**
 * An authentication event. A failure is written outside the caller's transaction (like the
 * brute-force counters), so it is announced even when the request rolls back.
 */
export async function emitAuthenticationEvent(em: EntityManager, organizationId: string, succeeded: boolean,
  fields: { person_id: string | null; authentication_method: string; handle?: { type: string; value: string }; failure_reason?: string }) {
  const name = succeeded ? 'AuthenticationSucceeded_v1' : 'AuthenticationFailed_v1';
  if (succeeded) return emitEvent(em, organizationId, name, fields);
  return em.transactional((free) => emitEvent(free as EntityManager, organizationId, name, fields),
    { propagation: TransactionPropagation.NOT_SUPPORTED });
}

/** ApiKeyRotated_v1, for any rotation of a key (per-user keys here; organization keys may call it too). */
export function emitApiKeyRotated(em: EntityManager, organizationId: string, fields: { key_id: string; key_kind: string; person_id?: string | null }) {
  return emitEvent(em, organizationId, 'ApiKeyRotated_v1', fields);
}
