// Data access for webhooks, their triggers, the event outbox and deliveries. Rules live in the services.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Webhook, WebhookDelivery, WebhookSigningKey, WebhookTrigger, type TriggerType } from './webhook.entity.ts';

export function findWebhookSigningKeys(em: EntityManager): Promise<WebhookSigningKey[]> {
  return em.find(WebhookSigningKey, {}, { orderBy: { createdAt: 'asc', kid: 'asc' } });
}

/** Inserts the key unless another process was first (the oldest key signs). */
export async function insertWebhookSigningKey(em: EntityManager, key: { kid: string; publicJwk: object; privateJwkSealed: string }) {
  await em.execute(
    `insert into webhook_signing_key (kid, public_jwk, private_jwk_sealed, created_at)
     select ?, ?::jsonb, ?, now() where not exists (select 1 from webhook_signing_key)`,
    [key.kid, JSON.stringify(key.publicJwk), key.privateJwkSealed]);
}

export function findWebhooks(em: EntityManager, organizationId: string): Promise<Webhook[]> {
  return em.find(Webhook, { organization: organizationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export function findWebhook(em: EntityManager, organizationId: string, id: string): Promise<Webhook | null> {
  return em.findOne(Webhook, { id, organization: organizationId });
}

export function findWebhookByTarget(em: EntityManager, organizationId: string, targetUrl: string): Promise<Webhook | null> {
  return em.findOne(Webhook, { organization: organizationId, targetUrl });
}

export function findTriggers(em: EntityManager, webhookId: string): Promise<WebhookTrigger[]> {
  return em.find(WebhookTrigger, { webhook: webhookId }, { orderBy: { id: 'asc' } });
}

export async function insertTrigger(em: EntityManager, webhookId: string, type: TriggerType, name: string): Promise<void> {
  await em.execute(
    `insert into webhook_trigger (webhook_id, trigger_type, trigger_name, created_at) values (?, ?, ?, now())
     on conflict (webhook_id, trigger_type, trigger_name) do nothing`, [webhookId, type, name]);
}

export async function deleteTrigger(em: EntityManager, webhookId: string, type: TriggerType, name: string): Promise<number> {
  return em.nativeDelete(WebhookTrigger, { webhook: webhookId, triggerType: type, triggerName: name });
}

/** The webhooks of an organization that a sync hook calls, oldest first. */
export async function findSyncHookWebhooks(em: EntityManager, organizationId: string, hook: string): Promise<Webhook[]> {
  const triggers = await em.find(WebhookTrigger,
    { triggerType: 'sync_hook', triggerName: hook, webhook: { organization: organizationId } },
    { populate: ['webhook'], orderBy: { webhook: { createdAt: 'asc' }, id: 'asc' } });
  return triggers.map((t) => t.webhook.getEntity());
}

export function findDeliveries(em: EntityManager, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
  return em.find(WebhookDelivery, { webhook: webhookId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit, populate: ['event'] });
}

/** Queues (again) one event for one webhook, under a new jti; false when the event is not the organization's. */
export async function requeueDelivery(em: EntityManager, organizationId: string, webhookId: string, eventId: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into webhook_delivery (id, event_id, webhook_id, status, attempts, next_attempt_at, created_at)
     select gen_random_uuid(), e.id, ?, 'pending', 0, now(), now() from event_outbox e where e.id = ? and e.organization_id = ?
     on conflict (event_id, webhook_id) do update set id = gen_random_uuid(), status = 'pending', attempts = 0,
       next_attempt_at = now(), last_error = null, delivered_at = null
     returning id`, [webhookId, eventId, organizationId]);
  return rows.length > 0;
}
