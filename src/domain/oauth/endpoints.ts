// Where each endpoint of an issuer lives. The root issuer is PUBLIC_URL with SlashID's paths; a
// tenant's issuer is PUBLIC_URL/realms/{tenant_id} with Keycloak's layout, so that RPs configured
// for Keycloak work unchanged. ISSUER_LAYOUT is the one table of these paths: the URLs below are
// built from it, and the OIDC face mounts its endpoints from it (its issuers.ts).

/** Each endpoint's path at the root issuer and under a realm (relative to `/realms/{tenant_id}`). */
export const ISSUER_LAYOUT = {
  discovery: { root: '/.well-known/openid-configuration', realm: '/.well-known/openid-configuration' },
  jwks: { root: '/.well-known/jwks.json', realm: '/protocol/openid-connect/certs' },
  authorization: { root: '/oauth2/authorize', realm: '/protocol/openid-connect/auth' },
  authorizeContinue: { root: '/oauth2/authorize/continue', realm: '/protocol/openid-connect/auth/continue' },
  login: { root: '/oauth2/authorize/login', realm: '/protocol/openid-connect/auth/login' },
  consent: { root: '/oauth2/authorize/consent', realm: '/protocol/openid-connect/auth/consent' },
  token: { root: '/oauth2/tokens', realm: '/protocol/openid-connect/token' },
  introspection: { root: '/oauth2/tokens/introspect', realm: '/protocol/openid-connect/token/introspect' },
  revocation: { root: '/oauth2/tokens/revoke', realm: '/protocol/openid-connect/revoke' },
  userinfo: { root: '/oauth2/userinfo', realm: '/protocol/openid-connect/userinfo' },
  endSession: { root: '/oauth2/logout', realm: '/protocol/openid-connect/logout' },
  /** Where upstream OpenID providers send the browser back (brokered sign-in): register it at the provider. */
  ssoOidcCallback: { root: '/oauth2/sso/oidc/callback', realm: '/protocol/openid-connect/sso/oidc/callback' },
} as const;

export type IssuerEndpointName = keyof typeof ISSUER_LAYOUT;

/** The path of a tenant's issuer, with the tenant as a path parameter (OpenAPI form). */
export const REALM_PREFIX = '/realms/{tenant_id}';

export type IssuerEndpoints = { issuer: string } & Record<IssuerEndpointName, string>;

function endpointsAt(issuer: string, column: 'root' | 'realm'): IssuerEndpoints {
  const out = { issuer } as IssuerEndpoints;
  for (const [name, paths] of Object.entries(ISSUER_LAYOUT)) out[name as IssuerEndpointName] = issuer + paths[column];
  return out;
}

export function rootEndpoints(publicUrl: string): IssuerEndpoints {
  return endpointsAt(publicUrl, 'root');
}

export function realmEndpoints(publicUrl: string, tenantId: string): IssuerEndpoints {
  return endpointsAt(`${publicUrl}/realms/${encodeURIComponent(tenantId)}`, 'realm');
}

/** The endpoints of the issuer a stored request or token names. */
export function endpointsOfIssuer(issuer: string): IssuerEndpoints {
  const m = /^(.*)\/realms\/([^/]+)$/.exec(issuer);
  return m ? realmEndpoints(m[1], decodeURIComponent(m[2])) : rootEndpoints(issuer);
}
