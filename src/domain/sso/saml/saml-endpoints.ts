// Where the service provider of an issuer lives: each issuer (the root and every tenant's realm,
// src/domain/oauth/endpoints.ts) is a SAML service provider of its own, whose entityID is its
// metadata URL. SAML_LAYOUT is the one table of these paths; the OIDC face mounts from it.

export const SAML_LAYOUT = {
  samlMetadata: { root: '/sso/saml/metadata', realm: '/protocol/saml/metadata' },
  samlAcs: { root: '/sso/saml/acs', realm: '/protocol/saml/acs' },
} as const;

export type SamlEndpointName = keyof typeof SAML_LAYOUT;

export interface SamlSpEndpoints {
  /** The SP's entityID: the URL of its metadata (the audience of every assertion for it). */
  entityId: string;
  /** The assertion consumer service (HTTP-POST binding): the Recipient and Destination. */
  acs: string;
}

/** The SP endpoints of the issuer a stored authorize request names (root or `…/realms/{tenant}`). */
export function samlEndpointsOfIssuer(issuer: string): SamlSpEndpoints {
  const column = /\/realms\/[^/]+$/.test(issuer) ? 'realm' : 'root';
  return { entityId: issuer + SAML_LAYOUT.samlMetadata[column], acs: issuer + SAML_LAYOUT.samlAcs[column] };
}
