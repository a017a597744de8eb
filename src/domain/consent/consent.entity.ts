import { defineEntity, p } from '@mikro-orm/core';
import { Person } from '../person/person.entity.ts';

/** A GDPR consent level a person gave, with the time it was received. */
const ConsentSchema = defineEntity({
  name: 'Consent',
  tableName: 'gdpr_consent',
  properties: {
    person: () => p.manyToOne(Person).ref().primary().deleteRule('cascade'),
    level: p.string().length(16).primary(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Consent extends ConsentSchema.class {}
ConsentSchema.setClass(Consent);
export { ConsentSchema };
