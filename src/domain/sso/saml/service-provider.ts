// This server as a SAML service provider, built with samlify for one issuer: it sends
// AuthnRequests over HTTP-Redirect (unsigned), asks for signed assertions, and takes responses at
// its ACS over HTTP-POST. Signature checks, schema validation and the Conditions window are the
// library's; the rest of the checks are saml-response.ts's.
import { Constants, IdentityProvider, ServiceProvider } from 'samlify';
import { samlLibrary } from './saml-library.ts';
import type { SamlSpEndpoints } from './saml-endpoints.ts';

/** Clock skew allowed on NotBefore / NotOnOrAfter, both ways. */
export const CLOCK_SKEW_MS = 60_000;

export function serviceProvider(endpoints: SamlSpEndpoints) {
  samlLibrary();
  return ServiceProvider({
    entityID: endpoints.entityId,
    assertionConsumerService: [{ Binding: Constants.namespace.binding.post, Location: endpoints.acs }],
    authnRequestsSigned: false,
    wantAssertionsSigned: true,
    wantMessageSigned: false,
    nameIDFormat: [Constants.namespace.format.emailAddress],
    clockDrifts: [-CLOCK_SKEW_MS, CLOCK_SKEW_MS],
  });
}

/** The IdP of a provider row, from its cached metadata (checked when it was stored). */
export function identityProvider(metadataXml: string) {
  samlLibrary();
  return IdentityProvider({ metadata: metadataXml });
}

/** The SP's metadata document (application/samlmetadata+xml). */
export const serviceProviderMetadata = (endpoints: SamlSpEndpoints): string => serviceProvider(endpoints).getMetadata();
