import type { Resolvers } from '../generated/types.ts';
import {
  addTrigger, createWebhook, deleteWebhook, listDeliveries, listTriggers, listWebhooks, ownWebhook, redeliverEvent,
  removeTrigger, updateWebhook, viewOf,
} from '../../domain/webhook/webhook.service.ts';
import { createTestEvents } from '../../domain/webhook/test-events.ts';
import { webhookVerificationJwks } from '../../domain/webhook/verification-jwks.ts';

export const webhookResolvers: Resolvers = {
  Query: {
    webhooks: (_, __, { em, principal }) => listWebhooks(em, principal),
    webhook: (_, { id }, { em, principal }) => ownWebhook(em, principal, id),
    webhookVerificationJwks: (_, { organizationId }, { services }) => webhookVerificationJwks(services.webhooks, organizationId) as never,
  },
  Mutation: {
    createWebhook: (_, { input }, { em, principal, services }) => createWebhook(em, services.webhooks, principal, input),
    updateWebhook: (_, { id, input }, { em, principal, services }) => updateWebhook(em, services.webhooks, principal, id, input),
    deleteWebhook: (_, { id }, { em, principal }) => deleteWebhook(em, principal, id),
    addWebhookTrigger: (_, { webhookId, triggerType, triggerName }, { em, principal }) => addTrigger(em, principal, webhookId, triggerType, triggerName),
    removeWebhookTrigger: (_, { webhookId, triggerType, triggerName }, { em, principal }) =>
      removeTrigger(em, principal, webhookId, triggerType, triggerName),
    redeliverWebhookEvent: (_, { webhookId, eventId }, { em, principal }) => redeliverEvent(em, principal, webhookId, eventId),
    createTestEvents: (_, { events }, { em, principal }) => createTestEvents(em, principal, events),
  },
  Webhook: {
    customHeaders: (webhook, _, { services }) => viewOf(services.webhooks, webhook).customHeaders,
    timeout: (webhook, _, { services }) => viewOf(services.webhooks, webhook).timeout,
    triggers: (webhook, _, { em, principal }) => listTriggers(em, principal, webhook.id),
    deliveries: (webhook, { first }, { em }) => listDeliveries(em, webhook.id, first),
  },
  WebhookDelivery: {
    eventId: (delivery) => delivery.event.id,
    eventName: (delivery) => delivery.event.getEntity().eventName,
  },
};
