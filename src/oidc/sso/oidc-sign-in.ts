// Brokered sign-in with an upstream OpenID provider, the browser's side: "Continue with <label>"
// sends the browser upstream (303), and the provider sends it back to the issuer's
// ssoOidcCallback (`/oauth2/sso/oidc/callback`, or under the realm). The callback's state must
// name a live sign-in of the pending authorize request of this very browser (binding cookie); the
// rules are in src/domain/sso/oidc-sign-in.service.ts.
import type { AuthorizeRequest } from '../../domain/oauth/authorize-request.entity.ts';
import { findBrowserRequest } from '../../domain/oauth/authorize.service.ts';
import { endpointsOfIssuer } from '../../domain/oauth/endpoints.ts';
import { DomainError, httpStatusOf } from '../../domain/errors.ts';
import type { AppServices } from '../../domain/services.ts';
import { finishOidcLogin, pendingOidcLogin, startOidcLogin } from '../../domain/sso/oidc-sign-in.service.ts';
import { noStore } from '../../rest/dialects/oauth.ts';
import { defineEndpoint, type EndpointRequest } from '../endpoint.ts';
import { cookieOf } from '../http.ts';
import { errorPage } from '../pages.ts';
import { BINDING_COOKIE, emOf, redirectBrowser, showLogin } from '../browser-flow.ts';
import { finishBrokeredSignIn } from './brokered-sign-in.ts';

const servicesOf = (request: EndpointRequest) => request.ctx.state.services as AppServices;

/** A refusal the person can act on goes back to the first step of the sign-in page, with its reason. */
async function backToLogin(request: EndpointRequest, authorize: AuthorizeRequest, error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  const status = httpStatusOf[error.code] ?? 400;
  return showLogin(request, authorize, authorize.client.getEntity(), { error: error.message, status: status >= 500 ? 502 : status });
}

export async function startOidcSignIn(request: EndpointRequest, authorize: AuthorizeRequest, providerId: string): Promise<void> {
  const { ctx } = request;
  let url: URL;
  try {
    url = await startOidcLogin(emOf(ctx), servicesOf(request), authorize, providerId, endpointsOfIssuer(authorize.issuer).ssoOidcCallback);
  } catch (error) {
    return backToLogin(request, authorize, error);
  }
  redirectBrowser(ctx, url.href);
}

export const ssoOidcCallback = defineEndpoint({
  kind: 'view', name: 'ssoOidcCallback', methods: ['GET'],
  async view(request) {
    const { ctx } = request;
    noStore(ctx);
    const em = emOf(ctx);
    const query = new URLSearchParams(ctx.querystring);
    const state = query.get('state') ?? undefined;
    const login = await pendingOidcLogin(em, state);
    if (!login) return errorPage(ctx, 400, 'invalid_request', 'This sign-in is unknown, expired or was already used: start again');
    const authorize = await findBrowserRequest(em, login.authReqId, cookieOf(ctx, BINDING_COOKIE));
    if (!authorize) return errorPage(ctx, 400, 'invalid_request', 'This sign-in expired or was started in another browser');
    if (authorize.status !== 'pending') return errorPage(ctx, 400, 'invalid_request', 'This sign-in is already complete');
    let finished: Awaited<ReturnType<typeof finishOidcLogin>>;
    try {
      finished = await finishOidcLogin(em, servicesOf(request), login, query, state!);
    } catch (error) {
      return backToLogin(request, authorize, error);
    }
    await finishBrokeredSignIn(request, finished.authReqId, finished.personId, {
      method: 'oidc', handle: finished.handle, id: finished.authenticationId, provider: finished.provider,
    });
  },
});
