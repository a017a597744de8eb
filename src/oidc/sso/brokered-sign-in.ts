// Brokered sign-in at the hosted login page, whatever the upstream protocol: the page's
// "Continue with <provider>" buttons post `sso=<kind>:<id>` to the login step, which hands over to
// the starter of that kind (OIDC: src/oidc/sso/oidc-sign-in.ts; SAML adds its own). When the
// upstream answers, the kind's callback links the identity (src/domain/sso/upstream-identity.ts)
// and calls finishBrokeredSignIn, which completes the pending authorize request like any sign-in.
import type { AuthorizeRequest, RecordedAuthentication } from '../../domain/oauth/authorize-request.entity.ts';
import { completeAuthorizeRequest } from '../../domain/oauth/authorize.service.ts';
import type { UpstreamKind } from '../../domain/sso/upstream-identity.entity.ts';
import type { EndpointRequest } from '../endpoint.ts';
import { errorPage } from '../pages.ts';
import { emOf, finishSignIn } from '../browser-flow.ts';
import { startOidcSignIn } from './oidc-sign-in.ts';
import { startSamlSignIn } from './saml-sign-in.ts';

/** Sends the browser to the upstream provider `providerId` (an error page when it cannot). */
export type BrokeredStarter = (request: EndpointRequest, authorize: AuthorizeRequest, providerId: string) => Promise<void>;

export const BROKERED_STARTERS: Partial<Record<UpstreamKind, BrokeredStarter>> = { oidc: startOidcSignIn, saml: startSamlSignIn };

/** The login step's `sso` field (`oidc:<id>`): the starter of its kind runs, or an error page. */
export async function startBrokeredSignIn(request: EndpointRequest, authorize: AuthorizeRequest, value: string) {
  const m = /^([a-z]{1,16}):([A-Za-z0-9_-]{1,128})$/.exec(value);
  const starter = m ? BROKERED_STARTERS[m[1] as UpstreamKind] : undefined;
  if (!m || !starter) return errorPage(request.ctx, 400, 'invalid_request', 'Unknown sign-in provider');
  return starter(request, authorize, m[2]);
}

/**
 * The person the upstream identity was linked to signed in for `authorize`: the request records
 * how (method, handle, SSO authentication), the browser's session opens, then consent or the code.
 */
export async function finishBrokeredSignIn(request: EndpointRequest, authReqId: string, personId: string,
  authentication: RecordedAuthentication) {
  const { request: completed } = await completeAuthorizeRequest(emOf(request.ctx), authReqId, personId, authentication);
  await finishSignIn(request, completed, completed.client.getEntity());
}
