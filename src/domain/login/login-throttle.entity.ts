import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';

/**
 * Failed-login counter and block of one subject in one tenant: an IP address (`kind` ip) or a
 * normalized username (`kind` user, known or not, so that blocking reveals nothing). Kept in
 * PostgreSQL and changed with single atomic statements so that every server process agrees.
 * An attempt is admitted by reserving a slot (`inFlight`) before its secret is checked; it
 * then becomes a failure or is released (throttle.service.ts).
 */
export const LoginThrottleSchema = defineEntity({
  name: 'LoginThrottle',
  properties: {
    id: p.bigint().primary().autoincrement(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    kind: p.enum(['ip', 'user']),
    subject: p.string().length(128),
    failures: p.integer().default(0),
    /** Admitted attempts whose secret is being checked now; they count against the limit. */
    inFlight: p.integer().default(0),
    /** When the latest attempt was admitted; reservations older than a minute are void (a crashed process). */
    inFlightSince: p.datetime().nullable(),
    windowStartedAt: p.datetime(),
    /** How many blocks this subject has had in a row; the next lasts initial × 2^level. */
    blockLevel: p.integer().default(0),
    blockedAt: p.datetime().nullable(),
    blockSeconds: p.integer().nullable(),
    blockedUntil: p.datetime().nullable(),
  },
  uniques: [{ properties: ['organization', 'kind', 'subject'] }],
  indexes: [{ properties: ['organization', 'kind', 'blockedUntil'] }],
});

export class LoginThrottle extends LoginThrottleSchema.class {}
LoginThrottleSchema.setClass(LoginThrottle);
