// Sign-in at the hosted login page: the posts of its steps (identifier, back, password), and the
// end of a passkey or zero-knowledge sign-in (GET /login/ticket, docs/zkp.md). Views of the
// browser flow; the rules are the domain's.
import { OAuthError } from '../../domain/oauth/oauth-errors.ts';
import { completeAuthorizeRequest } from '../../domain/oauth/authorize.service.ts';
import { verifyPasswordLogin } from '../../domain/oauth/password-login.service.ts';
import { signInWithTicket } from '../../domain/oauth/ticket-signin.service.ts';
import { queryParams, readForm, type Params } from '../http.ts';
import { errorPage } from '../pages.ts';
import { defineEndpoint } from '../endpoint.ts';
import { startBrokeredSignIn } from '../sso/starters.ts';
import {
  browserRequest, emOf, finishSignIn, offerEnrolment, setSessionCookie, showLogin, showMethods,
} from '../browser-flow.ts';

const MAX_HANDLE = 320;

export const login = defineEndpoint({
  kind: 'view', name: 'login', methods: ['POST'],
  async view(request) {
    const { ctx, runtime } = request;
    let form: Params;
    try { form = await readForm(ctx); } catch { return errorPage(ctx, 400, 'invalid_request', 'Send the sign-in form'); }
    const authorize = await browserRequest(request, form, true);
    if (!authorize) return;
    const client = authorize.client.getEntity();
    if (authorize.status !== 'pending') return errorPage(ctx, 400, 'invalid_request', 'This sign-in is already complete');
    if (form.step === 'back') return showLogin(request, authorize, client, { handle: '' });
    // "Continue with <provider>": brokered sign-in upstream (src/oidc/sso/).
    if (form.sso !== undefined) return startBrokeredSignIn(request, authorize, form.sso);
    const handle = (form.handle ?? '').trim().slice(0, MAX_HANDLE);
    // The identifier step posts no password field: answer with that identifier's methods.
    if (form.password === undefined) {
      if (!handle) return showLogin(request, authorize, client, { error: 'Enter your email, phone number or username', status: 400 });
      return showMethods(request, authorize, client, { handle });
    }
    const em = emOf(ctx);
    const result = await verifyPasswordLogin(em, authorize.organization.id, form.handle ?? '', form.password ?? '', runtime.clientInfo(ctx));
    const { person } = result;
    if (!person) {
      const blocked = 'blocked' in result && result.blocked;
      if (blocked) ctx.set('Retry-After', String(result.retryAfterSeconds ?? 1));
      return showMethods(request, authorize, client, {
        handle,
        error: !blocked ? 'Wrong handle or password'
          : result.checked ? 'Wrong handle or password. Too many failed attempts: try again later'
            : 'Too many failed attempts: try again later',
        status: blocked ? 429 : 401,
      });
    }
    const { request: completed } = await completeAuthorizeRequest(em, authorize.id, person.id);
    if (await offerEnrolment(request, completed, client, person.id)) return;
    await finishSignIn(request, completed, client);
  },
});

/** GET /login/ticket?auth_req_id=…&nonce=…: the end of a zero-knowledge sign-in (docs/zkp.md). */
export const loginTicket = defineEndpoint({
  kind: 'view', name: 'loginTicket', methods: ['GET'],
  async view(request) {
    const { ctx } = request;
    const params = queryParams(ctx);
    const authorize = await browserRequest(request, params, false);
    if (!authorize) return;
    try {
      const { request: completed, cookieSecret } = await signInWithTicket(emOf(ctx), authorize, params.nonce);
      setSessionCookie(request, cookieSecret);
      await finishSignIn(request, completed, completed.client.getEntity());
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      errorPage(ctx, 400, error.error, error.message);
    }
  },
});
