import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, organizationRow } from '../entity-properties.ts';

export const TRIGGER_TYPES = ['event', 'sync_hook'] as const;
export type TriggerType = typeof TRIGGER_TYPES[number];

/**
 * A receiver of an organization's events and sync hooks. The custom headers are sealed under the
 * master key (the webhook id as associated data): they often carry the receiver's own secret.
 */
export const WebhookSchema = defineEntity({
  name: 'Webhook',
  properties: {
    ...organizationRow(),
    name: p.string().length(255),
    description: p.text().nullable(),
    targetUrl: p.string().length(2000),
    customHeadersSealed: p.text().nullable(),
    /** 0 means the default of the call (2 s for sync hooks, 10 s for events). */
    timeoutMs: p.integer().default(0),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['organization', 'targetUrl'] }],
});
export class Webhook extends WebhookSchema.class {}
WebhookSchema.setClass(Webhook);

/** What calls a webhook: an event name (`event`) or a synchronous hook (`sync_hook`). */
export const WebhookTriggerSchema = defineEntity({
  name: 'WebhookTrigger',
  properties: {
    id: p.bigint().primary().autoincrement(),
    webhook: () => p.manyToOne(Webhook).ref().deleteRule('cascade'),
    triggerType: p.enum([...TRIGGER_TYPES]),
    triggerName: p.string().length(128),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['webhook', 'triggerType', 'triggerName'] }],
});
export class WebhookTrigger extends WebhookTriggerSchema.class {}
WebhookTriggerSchema.setClass(WebhookTrigger);

/**
 * The transactional outbox of events: written in the transaction of the change that emits it, fanned
 * out to the deliveries of the webhooks whose trigger matches by a sender (src/domain/webhook/sender.ts).
 */
export const WebhookEventSchema = defineEntity({
  name: 'WebhookEvent',
  tableName: 'event_outbox',
  properties: {
    /** The event id (`event_metadata.event_id`, the JWT's `sub`). */
    id: p.uuid().primary(),
    organizationId: p.uuid(),
    eventName: p.string().length(128),
    /** The `trigger_content` receivers get: `event_metadata` and the event's own fields. */
    content: p.json<Record<string, unknown>>(),
    createdAt: createdAt(),
    fannedOutAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['fannedOutAt', 'createdAt'] }, { properties: ['organizationId', 'createdAt'] }],
});
export class WebhookEvent extends WebhookEventSchema.class {}
WebhookEventSchema.setClass(WebhookEvent);

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One event for one webhook: its attempts, the last error, when it is tried next. */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  properties: {
    /** Also the JWT's `jti`: the same on every retry, so receivers can drop a duplicate. */
    id: p.uuid().primary(),
    event: () => p.manyToOne(WebhookEvent).ref().deleteRule('cascade'),
    webhook: () => p.manyToOne(Webhook).ref().deleteRule('cascade'),
    status: p.enum([...DELIVERY_STATUSES]),
    attempts: p.integer().default(0),
    /** When it may be tried (again); while an attempt runs, the end of that attempt's lease. */
    nextAttemptAt: p.datetime().nullable(),
    lastError: p.string().length(500).nullable(),
    lastStatusCode: p.integer().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['event', 'webhook'] }],
  indexes: [{ properties: ['status', 'nextAttemptAt'] }, { properties: ['webhook', 'createdAt'] }],
});
export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);

/** The ES256 key that signs webhook bodies; the private JWK sealed under the master key (kid as associated data). */
export const WebhookSigningKeySchema = defineEntity({
  name: 'WebhookSigningKey',
  properties: {
    kid: p.string().length(64).primary(),
    publicJwk: p.json<Record<string, unknown>>(),
    privateJwkSealed: p.text(),
    createdAt: createdAt(),
    /** Set by `npm run keys:rotate`: the key stops signing at once and leaves the JWKS at this time. */
    retiresAt: p.datetime().nullable(),
  },
});
export class WebhookSigningKey extends WebhookSigningKeySchema.class {}
WebhookSigningKeySchema.setClass(WebhookSigningKey);
