// The issuer table: where every endpoint is served. Each endpoint of ISSUER_LAYOUT (the domain's
// table of paths, which the discovery documents' URLs come from too) is mounted at the root issuer
// (SlashID paths) and under every tenant's realm (Keycloak's layout); the Secrets Vault aliases
// and the issuer-less paths of the login page follow. Nothing here is written twice.
import { ISSUER_LAYOUT, REALM_PREFIX, type IssuerEndpointName } from '../domain/oauth/endpoints.ts';
import type { Endpoint } from './endpoint.ts';
import { authorization, authorizeContinue } from './endpoints/authorize.ts';
import { consent } from './endpoints/consent.ts';
import { currentUser } from './endpoints/current-user.ts';
import { discovery } from './endpoints/discovery.ts';
import { endSession } from './endpoints/end-session.ts';
import { introspection } from './endpoints/introspection.ts';
import { jwks } from './endpoints/jwks.ts';
import { loginScriptFile } from './endpoints/login-script.ts';
import { revocation } from './endpoints/revocation.ts';
import { login, loginTicket } from './endpoints/sign-in.ts';
import { token } from './endpoints/token.ts';
import { userinfo } from './endpoints/userinfo.ts';
import { LOGIN_TICKET_PATH, PASSKEY_OPTIONS_PATH, PASSKEY_REGISTER_PATH } from './browser-flow.ts';
import { passkeyEnrolment, passkeyEnrolmentOptions } from './endpoints/passkey-enrolment.ts';
import { LOGIN_SCRIPT_PATH } from './login-script.ts';
import { ssoOidcCallback } from './sso/oidc-sign-in.ts';
import { SAML_LAYOUT, type SamlEndpointName } from '../domain/sso/saml/saml-endpoints.ts';
import { samlAcs, samlMetadata } from './endpoints/saml-sso.ts';

/**
 * Where a mount finds its issuer: `root` the root issuer; `path` the realm of the path's
 * {tenant_id}; `form` the realm of the form's tenant_id; `none` no issuer at all.
 */
export type IssuerSource = 'root' | 'path' | 'form' | 'none';

export interface Mount {
  /** OpenAPI form: `/realms/{tenant_id}/protocol/openid-connect/token`. */
  path: string;
  endpoint: Endpoint;
  issuer: IssuerSource;
  /**
   * Methods the endpoint does not declare go on to the routers after this one instead of a 405:
   * for a path whose first segment is a parameter, which other faces' paths may match.
   */
  passOthers?: boolean;
}

/** The endpoint module behind each name of the issuer layout. */
const ISSUER_ENDPOINTS: Record<IssuerEndpointName, Endpoint> = {
  discovery, jwks, authorization, authorizeContinue, login, consent, token, introspection, revocation, userinfo, endSession,
  ssoOidcCallback,
};

const names = Object.keys(ISSUER_LAYOUT) as IssuerEndpointName[];

/** The SAML service provider of every issuer (its metadata and ACS), laid out the same way. */
const SAML_ENDPOINTS: Record<SamlEndpointName, Endpoint> = { samlMetadata, samlAcs };
const samlNames = Object.keys(SAML_LAYOUT) as SamlEndpointName[];

export const MOUNTS: Mount[] = [
  ...names.map((name): Mount => ({ path: ISSUER_LAYOUT[name].root, endpoint: ISSUER_ENDPOINTS[name], issuer: 'root' })),
  ...names.map((name): Mount => ({ path: REALM_PREFIX + ISSUER_LAYOUT[name].realm, endpoint: ISSUER_ENDPOINTS[name], issuer: 'path' })),
  // Secrets Vault aliases (endpoint table 2, rows 4, 5, 12–15).
  { path: '/token', endpoint: token, issuer: 'form' },
  { path: '/{tenant_id}/token', endpoint: token, issuer: 'path', passOthers: true },
  { path: '/logout', endpoint: endSession, issuer: 'none' },
  { path: '/user/me', endpoint: currentUser, issuer: 'none' },
  // The login page's own paths, one for every issuer (the authorize request names its issuer).
  { path: LOGIN_TICKET_PATH, endpoint: loginTicket, issuer: 'none' },
  { path: LOGIN_SCRIPT_PATH, endpoint: loginScriptFile, issuer: 'none' },
  { path: PASSKEY_OPTIONS_PATH, endpoint: passkeyEnrolmentOptions, issuer: 'none' },
  { path: PASSKEY_REGISTER_PATH, endpoint: passkeyEnrolment, issuer: 'none' },
  ...samlNames.map((name): Mount => ({ path: SAML_LAYOUT[name].root, endpoint: SAML_ENDPOINTS[name], issuer: 'root' })),
  ...samlNames.map((name): Mount => ({ path: REALM_PREFIX + SAML_LAYOUT[name].realm, endpoint: SAML_ENDPOINTS[name], issuer: 'path' })),
];

/** Everything under these belongs to the OpenID provider: an unknown path there is a 404 in the OAuth dialect. */
export const OWNED_PREFIXES = ['/realms'];
