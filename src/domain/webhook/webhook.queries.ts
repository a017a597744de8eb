// Data access for webhooks, their triggers, the event outbox and deliveries. Rules live in the services.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Webhook, WebhookDelivery, WebhookSigningKey, WebhookTrigger, type TriggerType } from './webhook.entity.ts';

/** The published keys: the current ones and those rotated out whose overlap has not ended, oldest first. */
export function findWebhookSigningKeys(em: EntityManager): Promise<WebhookSigningKey[]> {
  return em.find(WebhookSigningKey, { $or: [{ retiresAt: null }, { retiresAt: { $gt: new Date() } }] },
    { orderBy: { createdAt: 'asc', kid: 'asc' } });
}

type NewSigningKey = { kid: string; publicJwk: object; privateJwkSealed: string };

/** Inserts the key unless another process was first (the oldest current key signs). */
export async function insertWebhookSigningKey(em: EntityManager, key: NewSigningKey) {
  await em.execute(
    `insert into webhook_signing_key (kid, public_jwk, private_jwk_sealed, created_at)
     select ?, ?::jsonb, ?, now() where not exists (select 1 from webhook_signing_key where retires_at is null)`,
    [key.kid, JSON.stringify(key.publicJwk), key.privateJwkSealed]);
}

/** Retires the current keys after `overlapSeconds` and adds `key`, under a table lock (one rotation at a time). */
export function replaceWebhookSigningKey(em: EntityManager, key: NewSigningKey, overlapSeconds: number): Promise<string[]> {
  return em.transactional(async (tx) => {
    await tx.execute('lock table webhook_signing_key in share row exclusive mode');
    const retired = await tx.execute<Array<{ kid: string }>>(
      `update webhook_signing_key set retires_at = now() + make_interval(secs => ?) where retires_at is null returning kid`,
      [overlapSeconds]);
    await tx.execute(
      'insert into webhook_signing_key (kid, public_jwk, private_jwk_sealed, created_at) values (?, ?::jsonb, ?, now())',
      [key.kid, JSON.stringify(key.publicJwk), key.privateJwkSealed]);
    return retired.map((r) => r.kid);
  });
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
