// Brokered sign-in with a SAML identity provider, the start: the login step's "Continue with
// <IdP>" (`sso=saml:<credentials id>`) sends the browser to the IdP with an AuthnRequest
// (HTTP-Redirect). The answer comes back to the ACS (src/oidc/endpoints/saml-sso.ts).
import type { AuthorizeRequest } from '../../domain/oauth/authorize-request.entity.ts';
import { NotFound } from '../../domain/errors.ts';
import type { AppServices } from '../../domain/services.ts';
import { startSamlLogin } from '../../domain/sso/saml/saml-login.service.ts';
import type { EndpointRequest } from '../endpoint.ts';
import { errorPage } from '../pages.ts';
import { emOf, redirectBrowser } from '../browser-flow.ts';

export async function startSamlSignIn(request: EndpointRequest, authorize: AuthorizeRequest, providerId: string): Promise<void> {
  const { ctx } = request;
  const { sso } = ctx.state.services as AppServices;
  let url: string;
  try {
    url = await startSamlLogin(emOf(ctx), authorize, providerId, sso.allowHttpLoopback);
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    return errorPage(ctx, 400, 'invalid_request', error.message);
  }
  redirectBrowser(ctx, url);
}
