// Process-wide services a request may need beyond the database: set once by src/app.ts on every
// request's ctx.state.services and carried into the GraphQL context.
import type { KeyStore } from './oauth/keys.ts';
import type { ClientCache } from './oauth/clients.queries.ts';
import type { ApiKeyCache } from './organization/api-key-lookup.queries.ts';
import type { Sealer } from '../crypto/sealed.ts';
import type { RegionName } from './person/regions.ts';
import type { WebauthnSettings } from './webauthn/webauthn-settings.ts';
import type { WebhookRuntime } from './webhook/runtime.ts';

export interface AppServices {
  keys: KeyStore;
  /** OAuth clients as client authentication sees them, invalidated through the database. */
  clients: ClientCache;
  /** Organizations' active API keys as the SlashID face checks them, invalidated through the database. */
  apiKeys: ApiKeyCache;
  /** Seals values at rest under the master key (TOTP seeds). */
  sealer: Sealer;
  /** The root issuer: PUBLIC_URL, or the address the server listens on. */
  publicUrl: () => string;
  /** The region of a person created without one (DEFAULT_REGION). */
  defaultRegion: RegionName;
  /** Passkey ceremonies: relying-party id, allowed origins, user verification (WEBAUTHN_*). */
  webauthn: () => WebauthnSettings;
  /** The login page's password-reset address (PASSWORD_RESET_URL): the base of the mailed link. */
  passwordResetUrl: string;
  /** Webhook signing, transport and settings (src/domain/webhook/runtime.ts). */
  webhooks: WebhookRuntime;
  /** Calls to upstream identity providers (SSO_*). */
  sso: SsoSettings;
}

export interface SsoSettings {
  /** http:// issuers on a loopback host are accepted (development and tests). */
  allowHttpLoopback: boolean;
  timeoutMs: number;
}
