import { defineEntity, p } from '@mikro-orm/core';
import { personRow, singleUse } from '../entity-properties.ts';

/** A single-use, expiring reset code; only its SHA-256 is stored (the clear code goes by mail). */
export const PasswordResetCodeSchema = defineEntity({
  name: 'PasswordResetCode',
  properties: {
    ...personRow(),
    codeHash: p.string().length(64).unique(),
    ...singleUse(),
  },
  indexes: [{ properties: ['person'] }],
});

export class PasswordResetCode extends PasswordResetCodeSchema.class {}
PasswordResetCodeSchema.setClass(PasswordResetCode);
