// The OpenID provider: the endpoints of src/oidc/endpoints/, mounted by the issuer table
// (src/oidc/issuers.ts) for the root issuer (PUBLIC_URL, SlashID paths), for every tenant under
// /realms/{tenant_id} (Keycloak's layout) and at the Secrets Vault aliases; served by
// src/oidc/engine.ts. Protocol endpoints run GraphQL operations in the OAuth dialect; the browser
// flow's views render HTML and call domain services.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { GraphQLSchema } from 'graphql';
import type { KeyStore } from '../domain/oauth/keys.ts';
import { UNKNOWN_CLIENT, type ClientInfo } from '../domain/principal.ts';
import type { Logger } from '../log.ts';
import { loginScript } from './login-script.ts';
import { buildIssuerRouter } from './engine.ts';
import { MOUNTS, OWNED_PREFIXES } from './issuers.ts';

export { LOGIN_TICKET_PATH } from './browser-flow.ts';

export interface OidcOptions {
  /** The gated schema the protocol endpoints execute. */
  schema: GraphQLSchema;
  keys: KeyStore;
  /** PUBLIC_URL, or the address the server listens on. */
  publicUrl: () => string;
  /** IP, country and user agent of a request (src/http/client-info.ts), for sessions and throttling. */
  clientInfo?: (ctx: Context) => ClientInfo;
  /** Reports a failed build of the login script (the page then offers the password form only). */
  log?: Pick<Logger, 'error'>;
}

export function buildOidcRouter({ schema, keys, publicUrl, clientInfo, log }: OidcOptions): Router {
  // The login page's script is bundled now, at start-up, and kept for the life of the process.
  const script = () => loginScript().catch((error: unknown) => {
    log?.error('login_script_build_failed', { message: (error as Error).message?.slice(0, 500) });
    return undefined;
  });
  void script();
  return buildIssuerRouter(MOUNTS, OWNED_PREFIXES, {
    schema, keys, publicUrl,
    clientInfo: clientInfo ?? (() => UNKNOWN_CLIENT),
    loginScript: script,
    secureCookies: () => publicUrl().startsWith('https:'),
  });
}
