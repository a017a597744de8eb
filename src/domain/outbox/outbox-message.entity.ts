import { defineEntity, p } from '@mikro-orm/core';
import { createdAt } from '../entity-timestamps.ts';
import { Organization } from '../organization/organization.entity.ts';

/**
 * A message to deliver (mail for now), written in the same transaction as the change that needs
 * it and sent by the outbox dispatcher (src/domain/outbox/outbox.service.ts). After delivery the
 * payload is cleared, so a code it carried does not stay at rest.
 */
export const OutboxMessageSchema = defineEntity({
  name: 'OutboxMessage',
  properties: {
    id: p.bigint().primary().autoincrement(),
    organization: () => p.manyToOne(Organization).ref().nullable().deleteRule('cascade'),
    /** mail */
    channel: p.string().length(16),
    /** password_reset | … */
    template: p.string().length(64),
    recipient: p.string().length(320),
    payload: p.json<Record<string, unknown>>().nullable(),
    attempts: p.integer().default(0),
    createdAt: createdAt(),
    sentAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['sentAt', 'id'] }],
});

export class OutboxMessage extends OutboxMessageSchema.class {}
OutboxMessageSchema.setClass(OutboxMessage);
