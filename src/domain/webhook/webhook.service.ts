// Webhooks and their triggers (endpoint table 1, rows 107–114), delivery history and re-delivery.
// A webhook belongs to the organization of the key that made it; any other id answers 404.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conflict, NotFound, ValidationFailed } from '../errors.ts';
import { flushOrConflict } from '../unique-flush.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import type { Principal } from '../principal.ts';
import { Webhook, type TriggerType } from './webhook.entity.ts';
import {
  deleteTrigger, findDeliveries, findTriggers, findWebhook, findWebhookByTarget, findWebhooks, insertTrigger, requeueDelivery,
} from './webhook.queries.ts';
import { assertCustomHeaders, assertTargetUrl, assertTrigger, formatTimeout, parseTimeout } from './webhook-rules.ts';
import { openHeaders, sealHeaders, type WebhookRuntime } from './runtime.ts';
import { wakeEventSenders } from './events.ts';
import { afterCommit } from '../../db/transactions.ts';

const TARGET_TAKEN = 'Another webhook of your organization already has this target_url';

export interface WebhookInput {
  name?: string | null; description?: string | null; targetUrl?: string | null;
  customHeaders?: Record<string, unknown> | null; timeout?: string | null;
}

export interface WebhookView {
  id: string; name: string; description: string | null; targetUrl: string;
  customHeaders: Record<string, string[]>; timeout: string; createdAt: Date;
}

export function viewOf(runtime: WebhookRuntime, webhook: Webhook): WebhookView {
  return {
    id: webhook.id, name: webhook.name, description: webhook.description ?? null, targetUrl: webhook.targetUrl,
    customHeaders: openHeaders(runtime, webhook.id, webhook.customHeadersSealed ?? null),
    timeout: formatTimeout(webhook.timeoutMs), createdAt: webhook.createdAt,
  };
}

/** The caller's webhook, or 404 (also for an id that is no UUID, or another organization's). */
export async function ownWebhook(em: EntityManager, principal: Principal, id: string): Promise<Webhook> {
  const webhook = isUuidShaped(id) ? await findWebhook(em, principal.organizationId, id) : null;
  if (!webhook) throw new NotFound(`No webhook ${id.slice(0, 64)} in your organization`);
  return webhook;
}

function assertName(name: string) {
  if (!name.trim()) throw new ValidationFailed('name must not be blank', [{ loc: ['body', 'name'], msg: 'blank', type: 'value_error' }]);
}

async function assertTargetFree(em: EntityManager, principal: Principal, targetUrl: string, except?: string) {
  const taken = await findWebhookByTarget(em, principal.organizationId, targetUrl);
  if (taken && taken.id !== except) throw new Conflict(TARGET_TAKEN);
}

const flushUnique = (em: EntityManager) => flushOrConflict(em, TARGET_TAKEN);

export function listWebhooks(em: EntityManager, principal: Principal) {
  return findWebhooks(em, principal.organizationId);
}

export async function createWebhook(em: EntityManager, runtime: WebhookRuntime, principal: Principal, input: WebhookInput) {
  if (input.name == null || input.targetUrl == null) throw new ValidationFailed('name and target_url are required');
  assertName(input.name);
  const targetUrl = assertTargetUrl(input.targetUrl, runtime.transport.allowLoopback);
  const headers = assertCustomHeaders(input.customHeaders ?? {});
  const timeoutMs = input.timeout == null ? 0 : parseTimeout(input.timeout);
  await assertTargetFree(em, principal, targetUrl);
  const id = timeOrderedUuid();
  const webhook = em.create(Webhook, {
    id, organization: principal.organizationId, name: input.name, description: input.description ?? null, targetUrl,
    customHeadersSealed: sealHeaders(runtime, id, headers), timeoutMs,
  } as never);
  await flushUnique(em);
  return webhook;
}

export async function updateWebhook(em: EntityManager, runtime: WebhookRuntime, principal: Principal, id: string, input: WebhookInput) {
  const webhook = await ownWebhook(em, principal, id);
  if (input.name != null) { assertName(input.name); webhook.name = input.name; }
  if (input.description !== undefined) webhook.description = input.description;
  if (input.targetUrl != null) {
    webhook.targetUrl = assertTargetUrl(input.targetUrl, runtime.transport.allowLoopback);
    await assertTargetFree(em, principal, webhook.targetUrl, webhook.id);
  }
  if (input.customHeaders != null) webhook.customHeadersSealed = sealHeaders(runtime, webhook.id, assertCustomHeaders(input.customHeaders));
  if (input.timeout != null) webhook.timeoutMs = parseTimeout(input.timeout);
  await flushUnique(em);
  return webhook;
}

export async function deleteWebhook(em: EntityManager, principal: Principal, id: string) {
  const webhook = await ownWebhook(em, principal, id);
  em.remove(webhook);
  await em.flush();
  return true;
}

export async function listTriggers(em: EntityManager, principal: Principal, id: string) {
  return findTriggers(em, (await ownWebhook(em, principal, id)).id);
}

export async function addTrigger(em: EntityManager, principal: Principal, id: string, type: TriggerType, name: string) {
  const webhook = await ownWebhook(em, principal, id);
  assertTrigger(type, name);
  await insertTrigger(em, webhook.id, type, name);
  return true;
}

export async function removeTrigger(em: EntityManager, principal: Principal, id: string, type: TriggerType, name: string) {
  const webhook = await ownWebhook(em, principal, id);
  if (!await deleteTrigger(em, webhook.id, type, name)) throw new NotFound(`The webhook has no ${type} trigger ${name.slice(0, 128)}`);
  return true;
}

export const MAX_DELIVERIES_PAGE = 100;

export function listDeliveries(em: EntityManager, webhookId: string, first: number | null | undefined) {
  const limit = first ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERIES_PAGE) throw new ValidationFailed(`first must be between 1 and ${MAX_DELIVERIES_PAGE}`);
  return findDeliveries(em, webhookId, limit);
}

/** Queues one event for the webhook again (a new jti, attempts from zero), now. */
export async function redeliverEvent(em: EntityManager, principal: Principal, webhookId: string, eventId: string) {
  const webhook = await ownWebhook(em, principal, webhookId);
  if (!isUuidShaped(eventId) || !await requeueDelivery(em, principal.organizationId, webhook.id, eventId)) {
    throw new NotFound(`No event ${eventId.slice(0, 64)} in your organization`);
  }
  await afterCommit(em, async () => wakeEventSenders());
  return true;
}
