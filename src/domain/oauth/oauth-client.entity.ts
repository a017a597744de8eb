import { defineEntity, p } from '@mikro-orm/core';
import { timestamps } from '../entity-timestamps.ts';
import { Organization } from '../organization/organization.entity.ts';

/**
 * An OAuth 2.0 / OIDC client of one organization, shared by the SlashID `/oauth2/clients` face and
 * the Secrets Vault `/clients` face. Only the SHA-256 of the secret is stored (shown once).
 */
export const OAuthClientSchema = defineEntity({
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
    ...timestamps(),
    lastUsedAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['organization', 'createdAt'] }],
  // Cache invalidation through the database (src/db/invalidation.ts): every committed change of a
  // client is announced as `oauth_client:<client_id>`, whoever writes it (a cascade or plain SQL
  // too). Bookkeeping columns do not count, so using a client does not empty every cache.
  triggers: [{
    name: 'oauth_client_notify', timing: 'after', events: ['update', 'delete'],
    body: `if tg_op = 'UPDATE' and (to_jsonb(old) - 'last_used_at' - 'updated_at') = (to_jsonb(new) - 'last_used_at' - 'updated_at') then return null; end if; `
      + `perform pg_notify('idgraph_invalidate', 'oauth_client:' || old.client_id); `
      + `if tg_op = 'UPDATE' and new.client_id <> old.client_id then perform pg_notify('idgraph_invalidate', 'oauth_client:' || new.client_id); end if; `
      + `return null`,
  }],
});

export class OAuthClient extends OAuthClientSchema.class {}
OAuthClientSchema.setClass(OAuthClient);
