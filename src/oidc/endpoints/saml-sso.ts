// The SAML service provider of every issuer: its metadata (GET, the SP's entityID) and its
// assertion consumer service (POST binding). Views of the browser flow; the checks are the
// domain's (src/domain/sso/saml/). The ACS completes the authorize request, then sends the browser
// to …/authorize/continue: the IdP's cross-site POST carries no SameSite=Lax cookie, the
// top-level GET that follows does, so the browser binding of the request is checked there.
import { Forbidden, NotFound } from '../../domain/errors.ts';
import { OAuthError } from '../../domain/oauth/oauth-errors.ts';
import { completeAuthorizeRequest } from '../../domain/oauth/authorize.service.ts';
import type { AppServices } from '../../domain/services.ts';
import { SamlRefused, acceptSamlResponse } from '../../domain/sso/saml/saml-login.service.ts';
import { samlEndpointsOfIssuer } from '../../domain/sso/saml/saml-endpoints.ts';
import { serviceProviderMetadata } from '../../domain/sso/saml/service-provider.ts';
import { readForm, type Params } from '../http.ts';
import { errorPage } from '../pages.ts';
import { emOf, issuerView, redirectBrowser } from '../browser-flow.ts';

export const samlMetadata = issuerView('samlMetadata', ['GET'], async ({ ctx }, issuer) => {
  ctx.status = 200;
  ctx.type = 'application/samlmetadata+xml';
  ctx.body = serviceProviderMetadata(samlEndpointsOfIssuer(issuer.endpoints.issuer));
});

export const samlAcs = issuerView('samlAcs', ['POST'], async ({ ctx }, issuer) => {
  const services = ctx.state.services as AppServices;
  let form: Params;
  try { form = await readForm(ctx); } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return errorPage(ctx, 400, 'invalid_request', error.message);
  }
  const em = emOf(ctx);
  try {
    const signIn = await acceptSamlResponse(em, issuer.endpoints.issuer, form, services.sso.allowHttpLoopback, services.defaultRegion);
    const { continueUrl } = await completeAuthorizeRequest(em, signIn.authReqId, signIn.personId, signIn.authentication);
    redirectBrowser(ctx, continueUrl);
  } catch (error) {
    if (error instanceof SamlRefused) return errorPage(ctx, 400, 'access_denied', `SAML sign-in refused: ${error.message}`);
    if (error instanceof Forbidden) return errorPage(ctx, 403, 'access_denied', error.message);
    if (error instanceof NotFound) return errorPage(ctx, 400, 'invalid_request', error.message);
    throw error;
  }
});
