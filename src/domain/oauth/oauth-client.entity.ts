import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';

/**
 * An OAuth 2.0 / OIDC client of one organization, shared by the SlashID `/oauth2/clients` face and
 * the Secrets Vault `/clients` face. Only the SHA-256 of the secret is stored (shown once).
 */
const OAuthClientSchema = defineEntity({
  name: 'OAuthClient',
  tableName: 'oauth_client',
  properties: {
    id: p.uuid().primary(),
    /** The wire `client_id`: a v4 UUID when the server picks it, else the Secrets Vault caller's choice. */
    clientId: p.string().length(128).unique(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    name: p.string().length(255),
    secretHash: p.string().length(64).nullable(),
    /** Public clients authenticate with `none` and must use PKCE. */
    public: p.boolean().default(false),
    grantTypes: p.json<string[]>(),
    scopes: p.json<string[]>(),
    redirectUris: p.json<string[]>(),
    postLogoutRedirectUris: p.json<string[]>(),
    accessTokenDuration: p.integer().default(86400),
    refreshTokenDuration: p.integer().default(864000),
    /** ID token signing algorithm: EdDSA (default) or RS256. */
    signAlg: p.string().length(16).default('EdDSA'),
    isLock: p.boolean().default(false),
    /** Third-party clients get a consent step on the hosted login page. */
    thirdParty: p.boolean().default(false),
    tokenEndpointAuthMethod: p.string().length(32).default('client_secret_basic'),
    /** Secrets Vault display fields (logo_uri, client_uri, op_tos_url, …) kept verbatim. */
    details: p.json<Record<string, unknown>>(),
    uiConfiguration: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['organization', 'createdAt'] }],
});

export class OAuthClient extends OAuthClientSchema.class {}
OAuthClientSchema.setClass(OAuthClient);
export { OAuthClientSchema };
