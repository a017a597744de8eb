import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';

/** Where and with what something happened: time, client IP, country (if known), raw user agent. */
export interface AccessPoint {
  at: string;
  ip: string | null;
  country: string | null;
  userAgent: string | null;
}

/** A login of a person: created at login, touched when tokens are issued and when it is used. */
const SessionSchema = defineEntity({
  name: 'Session',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
    created: p.json<AccessPoint>(),
    tokenIssue: p.json<AccessPoint>().nullable(),
    lastAccess: p.json<AccessPoint>().nullable(),
    lastAccessAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['person', 'createdAt'] }],
});

export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
export { SessionSchema };
