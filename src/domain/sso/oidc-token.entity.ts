import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, personRow } from '../entity-properties.ts';

export const OIDC_TOKEN_TYPES = ['access', 'refresh', 'id'] as const;
export type OidcTokenType = (typeof OIDC_TOKEN_TYPES)[number];

/**
 * A token an upstream provider issued at an SSO sign-in (`authentication_id` names the sign-in),
 * sealed under the master key with the row id as associated data. Revoking deletes the row.
 */
export const SsoOidcTokenSchema = defineEntity({
  name: 'SsoOidcToken',
  properties: {
    ...personRow(),
    authenticationId: p.uuid(),
    tokenType: p.enum([...OIDC_TOKEN_TYPES]),
    sealedToken: p.text(),
    expiresAt: p.datetime(),
    provider: p.string().length(32),
    clientId: p.string().length(255),
    /** The credentials the tokens came from; null once they are deleted (revocation upstream is then impossible). */
    credentialId: p.uuid().nullable(),
    extraCallbackValues: p.json<Record<string, unknown>>().nullable(),
    createdAt: createdAt(),
  },
  indexes: [{ properties: ['person', 'authenticationId'] }],
});

export class SsoOidcToken extends SsoOidcTokenSchema.class {}
SsoOidcTokenSchema.setClass(SsoOidcToken);
