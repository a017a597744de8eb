import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, personRow } from '../entity-properties.ts';

/** Where and with what something happened: time, client IP, country (if known), raw user agent. */
export interface AccessPoint {
  at: string;
  ip: string | null;
  country: string | null;
  userAgent: string | null;
}

/**
 * A login of a person, by any method (ZKP ticket, hosted password form): created at login,
 * touched when tokens are issued and when it is used. Its id is the `sid` of the tokens issued
 * under it. A browser that signed in at the hosted login page holds a cookie whose SHA-256 is
 * `cookieHash` (the one session model of issues 5 and 6; `login_session` is gone).
 */
export const SessionSchema = defineEntity({
  name: 'Session',
  properties: {
    ...personRow(),
    created: p.json<AccessPoint>(),
    tokenIssue: p.json<AccessPoint>().nullable(),
    lastAccess: p.json<AccessPoint>().nullable(),
    lastAccessAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    /** SHA-256 of the browser cookie, when a browser holds this session (hosted login page). */
    cookieHash: p.string().length(64).nullable().unique(),
    createdAt: createdAt(),
  },
  indexes: [{ properties: ['person', 'createdAt'] }],
});

export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
