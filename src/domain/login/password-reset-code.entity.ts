import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';

/** A single-use, expiring reset code; only its SHA-256 is stored (the clear code goes by mail). */
const PasswordResetCodeSchema = defineEntity({
  name: 'PasswordResetCode',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
    codeHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['person'] }],
});

export class PasswordResetCode extends PasswordResetCodeSchema.class {}
PasswordResetCodeSchema.setClass(PasswordResetCode);
export { PasswordResetCodeSchema };
