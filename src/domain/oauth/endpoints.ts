// Where each endpoint of an issuer lives. The root issuer is PUBLIC_URL with SlashID's paths; a
// tenant's issuer is PUBLIC_URL/realms/{tenant_id} with Keycloak's layout, so that RPs configured
// for Keycloak work unchanged. ISSUER_LAYOUT is the one table of these paths: the URLs below are
// built from it, and the OIDC face mounts its endpoints from it (its issuers.ts).

/** A path in both layouts: SlashID's `root` under /oauth2, Keycloak's `realm` under /protocol/openid-connect. */
const at = (root: string, realm = root) => ({ root: `/oauth2${root}`, realm: `/protocol/openid-connect${realm}` });
/** A path below another, by the same suffix in both layouts. */
const below = (parent: { root: string; realm: string }, suffix: string) => ({ root: parent.root + suffix, realm: parent.realm + suffix });

const authorization = at('/authorize', '/auth');
const token = at('/tokens', '/token');
const discovery = '/.well-known/openid-configuration';

/** Each endpoint's path at the root issuer and under a realm (relative to `/realms/{tenant_id}`). */
export const ISSUER_LAYOUT = {
  discovery: { root: discovery, realm: discovery },
  jwks: { root: '/.well-known/jwks.json', realm: '/protocol/openid-connect/certs' },
  authorization,
  authorizeContinue: below(authorization, '/continue'),
  login: below(authorization, '/login'),
  consent: below(authorization, '/consent'),
  token,
  introspection: below(token, '/introspect'),
  revocation: at('/tokens/revoke', '/revoke'),
  userinfo: at('/userinfo'),
  endSession: at('/logout'),
  /** Where upstream OpenID providers send the browser back (brokered sign-in): register it at the provider. */
  ssoOidcCallback: at('/sso/oidc/callback'),
} as const;

export type IssuerEndpointName = keyof typeof ISSUER_LAYOUT;

/** The path of a tenant's issuer, with the tenant as a path parameter (OpenAPI form). */
export const REALM_PREFIX = '/realms/{tenant_id}';

export type IssuerEndpoints = { issuer: string } & Record<IssuerEndpointName, string>;

// Every token request asks for its issuer's URLs: built once per issuer (a few: the root and
// the tenants in use), and frozen since they are shared.
const built = new Map<string, Readonly<IssuerEndpoints>>();

function endpointsAt(issuer: string, column: 'root' | 'realm'): IssuerEndpoints {
  const known = built.get(`${column} ${issuer}`);
  if (known) return known;
  const out = { issuer } as IssuerEndpoints;
  for (const [name, paths] of Object.entries(ISSUER_LAYOUT)) out[name as IssuerEndpointName] = issuer + paths[column];
  if (built.size >= 1000) built.clear();
  built.set(`${column} ${issuer}`, Object.freeze(out));
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
