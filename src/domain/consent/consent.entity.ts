import { defineEntity, p } from '@mikro-orm/core';
import { createdAt } from '../entity-timestamps.ts';
import { Person } from '../person/person.entity.ts';
import type { GdprConsentLevel } from '../schema-types.generated.ts';

/** The schema's GdprConsentLevel values, in SlashID's order. */
export const CONSENT_LEVELS = ['none', 'necessary', 'analytics', 'marketing', 'retargeting', 'tracking'] as const satisfies readonly GdprConsentLevel[];

/** A GDPR consent level a person gave, with the time it was received. */
export const ConsentSchema = defineEntity({
  name: 'Consent',
  tableName: 'gdpr_consent',
  properties: {
    person: () => p.manyToOne(Person).ref().primary().deleteRule('cascade'),
    level: p.enum(CONSENT_LEVELS).primary(),
    createdAt: createdAt(),
  },
});
export class Consent extends ConsentSchema.class {}
ConsentSchema.setClass(Consent);
