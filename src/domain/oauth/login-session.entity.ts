import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';

/** A browser's sign-in at the hosted login page; the cookie holds a secret whose SHA-256 is the id. */
const LoginSessionSchema = defineEntity({
  name: 'LoginSession',
  tableName: 'login_session',
  properties: {
    id: p.string().length(64).primary(),
    /** Public session id (`sid` claim); never the cookie secret. */
    sid: p.uuid().unique(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
    authTime: p.datetime(),
    expiresAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class LoginSession extends LoginSessionSchema.class {}
LoginSessionSchema.setClass(LoginSession);
export { LoginSessionSchema };
