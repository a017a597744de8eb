// SAML sign-in for a pending authorize request (the hosted login page's "Continue with <IdP>"):
// the start sends an AuthnRequest whose ID is remembered (saml_request) and whose RelayState is
// the auth_req_id; the answer posted to the ACS is verified (saml-response.ts), its request spent,
// its assertion id recorded against replay, and the identity linked to a person
// (linkUpstreamIdentity). The face then finishes the sign-in like any other method.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthorizeRequest, RecordedAuthentication } from '../../oauth/authorize-request.entity.ts';
import { findAuthorizeRequest } from '../../oauth/oauth.queries.ts';
import { linkUpstreamIdentity } from '../upstream-identity.ts';
import type { RegionName } from '../../person/regions.ts';
import { NotFound } from '../../errors.ts';
import { SamlRequest } from './saml-request.entity.ts';
import { consumeSamlRequest, findPendingSamlRequest, recordAssertionUse } from './saml-request.queries.ts';
import { SamlProvider } from './saml-provider.entity.ts';
import { findRowOf } from '../../organization/organization-rows.queries.ts';
import { freshMetadata } from './saml-provider.service.ts';
import { samlEndpointsOfIssuer } from './saml-endpoints.ts';
import { identityProvider, serviceProvider } from './service-provider.ts';
import { SamlRefused, claimedInResponseTo, emailOf, subjectOf, verifySamlResponse } from './saml-response.ts';
import { issueSingleUse } from '../../single-use.ts';

/** How long the IdP may take to answer (the authorize request's own expiry bounds it too). */
export const SAML_REQUEST_TTL_MS = 10 * 60 * 1000;
/** A SAMLResponse (base64) larger than this is refused before decoding. */
export const MAX_SAML_RESPONSE_CHARS = 256 * 1024;

export { SamlRefused };

/** The IdP's sign-in URL for `authorize` (HTTP-Redirect binding, RelayState = auth_req_id). */
export async function startSamlLogin(em: EntityManager, authorize: AuthorizeRequest, providerId: string, allowLoopback: boolean) {
  const provider = await findRowOf(em, SamlProvider, authorize.organization.id, providerId);
  if (!provider || !provider.enableInOidcAuthzServer) throw new NotFound('Unknown sign-in provider');
  const idp = identityProvider(await freshMetadata(em, provider, allowLoopback));
  const sp = serviceProvider(samlEndpointsOfIssuer(authorize.issuer));
  const { id, context } = sp.createLoginRequest(idp, 'redirect', { relayState: authorize.id }) as { id: string; context: string };
  const expiresAt = new Date(Math.min(Date.now() + SAML_REQUEST_TTL_MS, authorize.expiresAt.getTime()));
  await issueSingleUse(em, SamlRequest, { id, organization: authorize.organization.id, provider: provider.id, authorizeRequest: authorize.id }, expiresAt);
  return context;
}

export interface SamlSignIn {
  authReqId: string;
  personId: string;
  authentication: RecordedAuthentication;
}

/**
 * Verifies a response posted to the ACS of `issuer`, spends its request and records its
 * assertion; SamlRefused (with the reason) when anything does not hold.
 */
export async function acceptSamlResponse(em: EntityManager, issuer: string, form: { SAMLResponse?: string; RelayState?: string },
  allowLoopback: boolean, defaultRegion?: RegionName): Promise<SamlSignIn> {
  const encoded = form.SAMLResponse ?? '';
  if (!encoded || encoded.length > MAX_SAML_RESPONSE_CHARS || !/^[A-Za-z0-9+/=\s]+$/.test(encoded)) {
    throw new SamlRefused('SAMLResponse is missing or not base64');
  }
  const requestId = claimedInResponseTo(Buffer.from(encoded, 'base64').toString('utf8'));
  const pending = requestId ? await findPendingSamlRequest(em, requestId) : null;
  if (!pending) throw new SamlRefused('the response answers no pending sign-in (unknown, used or expired InResponseTo)');
  const authorize = pending.authorizeRequest.id;
  const relayState = Buffer.from(form.RelayState ?? '');
  if (relayState.length !== Buffer.byteLength(authorize) || !crypto.timingSafeEqual(relayState, Buffer.from(authorize))) {
    throw new SamlRefused('RelayState does not name the sign-in this response answers');
  }
  const authorizeRequest = await findAuthorizeRequest(em, authorize);
  if (!authorizeRequest || authorizeRequest.issuer !== issuer) throw new SamlRefused('the response was posted to another issuer\'s endpoint');
  const provider = pending.provider.getEntity();
  // Turned off (or its people moved away) since the sign-in started: its answers no longer count.
  if (!provider.enableInOidcAuthzServer) throw new SamlRefused('this identity provider is no longer offered for sign-in');
  const endpoints = samlEndpointsOfIssuer(issuer);
  const assertion = await verifySamlResponse(encoded, endpoints, provider.idpMetadata, pending.id);
  if (!(await consumeSamlRequest(em, pending.id))) throw new SamlRefused('the response answers no pending sign-in (already used)');
  if (!(await recordAssertionUse(em, provider.id, assertion.assertionId, assertion.expiresAt))) {
    throw new SamlRefused('this assertion was already used');
  }
  const email = emailOf(assertion, provider.emailClaims);
  const subject = subjectOf(assertion, email);
  const linked = await linkUpstreamIdentity(em, {
    organizationId: provider.organization.id, kind: 'saml', providerId: provider.id, providerLabel: provider.label || provider.idpEntityId,
    // The organization configured this IdP for its people: the addresses it asserts are its directory's.
    subject: subject ?? '', email, emailVerified: true,
  }, defaultRegion);
  return {
    authReqId: authorize, personId: linked.personId,
    authentication: { method: 'saml', handle: linked.handle, provider: 'saml', id: assertion.assertionId.slice(0, 128) },
  };
}
