// Where each endpoint of an issuer lives. The root issuer is PUBLIC_URL with SlashID's paths; a
// tenant's issuer is PUBLIC_URL/realms/{tenant_id} with Keycloak's layout, so that RPs configured
// for Keycloak work unchanged.
export interface IssuerEndpoints {
  issuer: string;
  authorization: string;
  authorizeContinue: string;
  login: string;
  consent: string;
  token: string;
  introspection: string;
  revocation: string;
  userinfo: string;
  endSession: string;
  jwks: string;
}

export function rootEndpoints(publicUrl: string): IssuerEndpoints {
  const b = publicUrl;
  return {
    issuer: b,
    authorization: `${b}/oauth2/authorize`,
    authorizeContinue: `${b}/oauth2/authorize/continue`,
    login: `${b}/oauth2/authorize/login`,
    consent: `${b}/oauth2/authorize/consent`,
    token: `${b}/oauth2/tokens`,
    introspection: `${b}/oauth2/tokens/introspect`,
    revocation: `${b}/oauth2/tokens/revoke`,
    userinfo: `${b}/oauth2/userinfo`,
    endSession: `${b}/oauth2/logout`,
    jwks: `${b}/.well-known/jwks.json`,
  };
}

export function realmEndpoints(publicUrl: string, tenantId: string): IssuerEndpoints {
  const issuer = `${publicUrl}/realms/${encodeURIComponent(tenantId)}`;
  const p = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization: `${p}/auth`,
    authorizeContinue: `${p}/auth/continue`,
    login: `${p}/auth/login`,
    consent: `${p}/auth/consent`,
    token: `${p}/token`,
    introspection: `${p}/token/introspect`,
    revocation: `${p}/revoke`,
    userinfo: `${p}/userinfo`,
    endSession: `${p}/logout`,
    jwks: `${p}/certs`,
  };
}

/** The endpoints of the issuer a stored request or token names. */
export function endpointsOfIssuer(issuer: string): IssuerEndpoints {
  const m = /^(.*)\/realms\/([^/]+)$/.exec(issuer);
  return m ? realmEndpoints(m[1], decodeURIComponent(m[2])) : rootEndpoints(issuer);
}
