import { defineEntity, p } from '@mikro-orm/core';
import { createdAt } from '../entity-timestamps.ts';
import { Person } from '../person/person.entity.ts';

/** A single-use, expiring password reset token. Only the SHA-256 of the token is stored. */
export const PasswordResetSchema = defineEntity({
  name: 'PasswordReset',
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    forceChange: p.boolean().default(false),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
  indexes: [{ properties: ['person'] }],
});
export class PasswordReset extends PasswordResetSchema.class {}
PasswordResetSchema.setClass(PasswordReset);
