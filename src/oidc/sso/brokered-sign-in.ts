// Brokered sign-in at the hosted login page, whatever the upstream protocol: the page's
// "Continue with <provider>" buttons post `sso=<kind>:<id>` to the login step, which hands over to
// the starter of that kind (src/oidc/sso/starters.ts: OIDC in oidc-sign-in.ts; SAML adds its own).
// When the upstream answers, the kind's callback links the identity
// (src/domain/sso/upstream-identity.ts) and calls finishBrokeredSignIn, which completes the
// pending authorize request like any sign-in.
import type { AuthorizeRequest, RecordedAuthentication } from '../../domain/oauth/authorize-request.entity.ts';
import { completeAuthorizeRequest } from '../../domain/oauth/authorize.service.ts';
import type { EndpointRequest } from '../endpoint.ts';
import { emOf, finishSignIn } from '../browser-flow.ts';

/** Sends the browser to the upstream provider `providerId` (or renders why not). */
export type BrokeredStarter = (request: EndpointRequest, authorize: AuthorizeRequest, providerId: string) => Promise<void>;

/**
 * The person the upstream identity was linked to signed in for `authReqId`: the request records
 * how (method, handle, SSO authentication), the browser's session opens, then consent or the code.
 */
export async function finishBrokeredSignIn(request: EndpointRequest, authReqId: string, personId: string,
  authentication: RecordedAuthentication) {
  const { request: completed } = await completeAuthorizeRequest(emOf(request.ctx), authReqId, personId, authentication);
  await finishSignIn(request, completed, completed.client.getEntity());
}
