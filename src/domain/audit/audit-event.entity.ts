import { defineEntity, p } from '@mikro-orm/core';

/**
 * One administrative change: who (the kind and id of the credentials, the person they act as), what
 * (the operation and the ids it was aimed at), when and from where. Written in the transaction of
 * the change itself (src/graphql/auth-gate.ts), so a change and its record commit or fail together.
 * No foreign keys: the record outlives what it names (a deleted person, a deleted tenant).
 */
export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  properties: {
    id: p.uuid().primary(),
    at: p.datetime().onCreate(() => new Date()),
    organizationId: p.uuid(),
    actorKind: p.string().length(32),
    actorId: p.string().length(128).nullable(),
    actorPersonId: p.uuid().nullable(),
    operation: p.string().length(64),
    targets: p.json<Record<string, unknown>>(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
    requestId: p.string().length(64).nullable(),
  },
  indexes: [{ properties: ['organizationId', 'at'] }],
});

export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
