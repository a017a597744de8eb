// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's session and
// sends it to the registered post_logout_redirect_uri, or shows the signed-out page. A view; the
// rules are the domain's (logout.service.ts). At the Secrets Vault alias /logout no issuer is named.
import { OAuthError } from '../../domain/oauth/oauth-errors.ts';
import { logout } from '../../domain/oauth/logout.service.ts';
import { noStore } from '../../rest/dialects/oauth.ts';
import { cookieOf, queryParams, readForm, setCookie } from '../http.ts';
import { errorPage, signedOutPage } from '../pages.ts';
import { defineEndpoint } from '../endpoint.ts';
import { SESSION_COOKIE, emOf, issuerOrErrorPage } from '../browser-flow.ts';

export const endSession = defineEndpoint({
  kind: 'view', name: 'endSession', methods: ['GET', 'POST'],
  async view(request) {
    const { ctx, runtime } = request;
    noStore(ctx);
    const issuer = request.tenantId === undefined ? undefined : await issuerOrErrorPage(request);
    if (request.tenantId !== undefined && !issuer) return;
    try {
      const params = ctx.method === 'POST' ? await readForm(ctx) : queryParams(ctx);
      const result = await logout(emOf(ctx), runtime.keys, issuer?.endpoints.issuer, params, cookieOf(ctx, SESSION_COOKIE));
      setCookie(ctx, SESSION_COOKIE, '', { secure: runtime.secureCookies(), maxAgeSeconds: 0 });
      if (result.redirect) {
        ctx.status = ctx.method === 'POST' ? 303 : 302;
        ctx.set('Location', result.redirect);
        ctx.body = '';
      } else {
        signedOutPage(ctx);
      }
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      errorPage(ctx, 400, error.error, error.message);
    }
  },
});
