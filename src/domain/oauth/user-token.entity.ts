import { defineEntity, p } from '@mikro-orm/core';
import { ofPerson } from '../entity-properties.ts';

/** A SlashID user token minted here (by `jti`), so that it can be revoked before it expires. */
export const UserTokenSchema = defineEntity({
  name: 'UserToken',
  properties: {
    jti: p.string().length(32).primary(),
    ...ofPerson(),
    issuedAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['expiresAt'] }],
});

export class UserToken extends UserTokenSchema.class {}
UserTokenSchema.setClass(UserToken);
