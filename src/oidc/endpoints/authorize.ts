// The authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2) and its continuation after a
// sign-in elsewhere: views of the browser flow. The rules are the domain's (authorize.service.ts).
import { OAuthError } from '../../domain/oauth/oauth-errors.ts';
import { startAuthorization } from '../../domain/oauth/authorize.service.ts';
import { sessionFromCookie } from '../../domain/session/session.service.ts';
import { cookieOf, queryParams, readForm, type Params } from '../http.ts';
import { errorPage } from '../pages.ts';
import { defineEndpoint } from '../endpoint.ts';
import {
  SESSION_COOKIE, bindingOf, browserRequest, emOf, finishSignIn, issuerView, render,
} from '../browser-flow.ts';

export const authorization = issuerView('authorization', ['GET', 'POST'], async (request, issuer) => {
  const { ctx } = request;
  let params: Params;
  try {
    params = ctx.method === 'POST' ? await readForm(ctx) : queryParams(ctx);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return errorPage(ctx, 400, error.error, error.message);
  }
  const em = emOf(ctx);
  const session = await sessionFromCookie(em, cookieOf(ctx, SESSION_COOKIE));
  const outcome = await startAuthorization(em,
    { issuer: issuer.endpoints.issuer, organizationId: issuer.organizationId }, params,
    { session, bindingSecret: bindingOf(request) });
  await render(request, outcome, false);
});

/** GET …/authorize/continue?auth_req_id=…: where another sign-in method sends the browser (completeAuthorizeRequest). */
export const authorizeContinue = defineEndpoint({
  kind: 'view', name: 'authorizeContinue', methods: ['GET'],
  async view(request) {
    const authorize = await browserRequest(request, queryParams(request.ctx), false);
    if (!authorize) return;
    if (authorize.status !== 'authenticated') return errorPage(request.ctx, 400, 'invalid_request', 'This sign-in is not complete');
    await finishSignIn(request, authorize, authorize.client.getEntity());
  },
});
