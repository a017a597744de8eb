// What the views of the browser flow share: the session and browser-binding cookies, the
// authorize request this browser signs in for, and how an outcome of the authorization rules
// becomes a page or a redirect.
import crypto from 'node:crypto';
import type { Context } from 'koa';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  continueAuthorization, csrfMatches, findBrowserRequest, type AuthorizeOutcome,
} from '../domain/oauth/authorize.service.ts';
import { endpointsOfIssuer } from '../domain/oauth/endpoints.ts';
import type { Issuer } from '../domain/oauth/issuer.ts';
import { NotFound } from '../domain/errors.ts';
import { BROWSER_SESSION_TTL_SECONDS, openBrowserSession } from '../domain/session/session.service.ts';
import type { AuthorizeRequest } from '../domain/oauth/authorize-request.entity.ts';
import type { OAuthClient } from '../domain/oauth/oauth-client.entity.ts';
import { noStore } from '../rest/dialects/oauth.ts';
import { cookieOf, setCookie, type Params } from './http.ts';
import { consentPage, errorPage } from './pages.ts';
import { enrolmentPage, identifierPage, methodsPage, type PageScript } from './sign-in-pages.ts';
import { signInMethodsFor } from '../domain/login/sign-in-methods.ts';
import { brokeredProvidersOf } from '../domain/sso/brokered-providers.ts';
import type { AppServices } from '../domain/services.ts';
import { findOrganization } from '../domain/organization/organization.queries.ts';
import { passkeysOfPersonCount } from '../domain/webauthn/passkey-enrolment.ts';
import type { EndpointMethod, EndpointRequest, ViewEndpoint } from './endpoint.ts';

export const SESSION_COOKIE = 'idg_session';
/** Binds an authorize request to the browser that started it. */
export const BINDING_COOKIE = 'idg_bind';
/** Where the login page sends the browser with a ZKP login ticket (one path for every issuer). */
export const LOGIN_TICKET_PATH = '/login/ticket';

export const emOf = (ctx: Context) => ctx.state.em as EntityManager;

/** The issuer of the request's mount, or an error page (404) for an unknown realm. */
export async function issuerOrErrorPage({ ctx, issuer }: EndpointRequest): Promise<Issuer | undefined> {
  try {
    return await issuer();
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    errorPage(ctx, 404, 'invalid_request', error.message);
    return undefined;
  }
}

/** A view of the issuer the mount names; an unknown realm answers the error page (404) instead. */
export const issuerView = (
  name: string, methods: EndpointMethod[], view: (request: EndpointRequest, issuer: Issuer) => Promise<void>,
): ViewEndpoint => ({
  kind: 'view', name, methods,
  async view(request) {
    const issuer = await issuerOrErrorPage(request);
    if (issuer) await view(request, issuer);
  },
});

/** This browser's binding secret; a new one (and its cookie) when it has none. */
export function bindingOf({ ctx, runtime }: EndpointRequest): string {
  let binding = cookieOf(ctx, BINDING_COOKIE);
  if (!binding || !/^[A-Za-z0-9_-]{43}$/.test(binding)) {
    binding = crypto.randomBytes(32).toString('base64url');
    setCookie(ctx, BINDING_COOKIE, binding, { secure: runtime.secureCookies() });
  }
  return binding;
}

export function setSessionCookie({ ctx, runtime }: EndpointRequest, secret: string) {
  setCookie(ctx, SESSION_COOKIE, secret, { secure: runtime.secureCookies(), maxAgeSeconds: BROWSER_SESSION_TTL_SECONDS });
}

/** Where the page's passkey enrolment calls (one path for every issuer). */
export const PASSKEY_OPTIONS_PATH = '/login/passkey/options';
export const PASSKEY_REGISTER_PATH = '/login/passkey/register';

/** The page's script, when it was built (else the page offers what works without it). */
async function pageScript({ runtime }: EndpointRequest): Promise<PageScript | undefined> {
  const built = await runtime.loginScript();
  return built && { scriptUrl: built.url, ticketUrl: LOGIN_TICKET_PATH };
}

const tenantOf = async (ctx: Context, authorize: AuthorizeRequest) => {
  const org = await findOrganization(emOf(ctx), authorize.organization.id);
  if (!org) throw new NotFound('The organization of this sign-in is gone');
  return org;
};

export interface LoginForm { handle?: string; error?: string; status?: number }

const stepFields = (authorize: AuthorizeRequest, form: LoginForm) => ({
  action: endpointsOfIssuer(authorize.issuer).login, authReqId: authorize.id, csrf: authorize.csrfToken,
  handle: form.handle, error: form.error,
});

/** Step 1: the identifier (prefilled from login_hint), and the passkey when the tenant allows it. */
export async function showLogin(request: EndpointRequest, authorize: AuthorizeRequest, client: OAuthClient, form: LoginForm = {}) {
  const org = await tenantOf(request.ctx, authorize);
  const script = org.tenantSettings.passkeyEnabled ? await pageScript(request) : undefined;
  const providers = await brokeredProvidersOf(emOf(request.ctx), org.id);
  return identifierPage(request.ctx, client, stepFields(authorize, { ...form, handle: form.handle ?? authorize.params.loginHint }),
    script, form.status, providers);
}

/** Step 2: the methods of the identifier typed (a consistent decoy for an identifier that names nobody). */
export async function showMethods(request: EndpointRequest, authorize: AuthorizeRequest, client: OAuthClient,
  form: LoginForm & { handle: string }) {
  const org = await tenantOf(request.ctx, authorize);
  const { sealer } = request.ctx.state.services as AppServices;
  const methods = await signInMethodsFor(emOf(request.ctx), org, form.handle, (data) => sealer.mac('sign-in-decoy', data));
  return methodsPage(request.ctx, client, { ...stepFields(authorize, form), handle: form.handle, tenantId: org.tenantId },
    methods, await pageScript(request), form.status);
}

/**
 * After a password sign-in, when the tenant allows passkeys and the person has none: the offer
 * to create one. False when there is nothing to offer (the caller goes on).
 */
export async function offerEnrolment(request: EndpointRequest, authorize: AuthorizeRequest, client: OAuthClient, personId: string) {
  const org = await tenantOf(request.ctx, authorize);
  const script = await pageScript(request);
  if (!org.tenantSettings.passkeyEnabled || !script || await passkeysOfPersonCount(emOf(request.ctx), personId) > 0) return false;
  noStore(request.ctx);
  enrolmentPage(request.ctx, client, {
    authReqId: authorize.id, csrf: authorize.csrfToken, optionsUrl: PASSKEY_OPTIONS_PATH, registerUrl: PASSKEY_REGISTER_PATH,
    continueUrl: `${endpointsOfIssuer(authorize.issuer).authorizeContinue}?auth_req_id=${encodeURIComponent(authorize.id)}`,
  }, script);
  return true;
}

/** Sends the browser to `location` (303: with a GET, whatever this request was); no cache keeps the answer. */
export function redirectBrowser(ctx: Context, location: string, status: 302 | 303 = 303) {
  noStore(ctx);
  ctx.status = status;
  ctx.set('Location', location);
  ctx.body = '';
}

/** The page or redirect an outcome of the authorization rules asks for (303 after a form post). */
export async function render(request: EndpointRequest, outcome: AuthorizeOutcome, afterPost: boolean) {
  const { ctx } = request;
  noStore(ctx);
  switch (outcome.kind) {
    case 'fatal': return errorPage(ctx, 400, outcome.error.error, outcome.error.message);
    case 'redirect': return redirectBrowser(ctx, outcome.url, afterPost ? 303 : 302);
    case 'login': return showLogin(request, outcome.request, outcome.client);
    case 'consent':
      return consentPage(ctx, endpointsOfIssuer(outcome.request.issuer).consent, outcome.client, {
        authReqId: outcome.request.id, csrf: outcome.request.csrfToken, scope: outcome.request.params.scope,
      });
  }
}

/** The request this browser is signing in for, from a form or query; null after rendering an error page. */
export async function browserRequest({ ctx }: EndpointRequest, params: Params, csrfRequired: boolean) {
  const request = await findBrowserRequest(emOf(ctx), params.auth_req_id, cookieOf(ctx, BINDING_COOKIE));
  if (!request || (csrfRequired && !csrfMatches(request, params.csrf_token))) {
    errorPage(ctx, 400, 'invalid_request', 'This sign-in expired or was started in another browser');
    return null;
  }
  return request;
}

/** Opens the browser's session for a signed-in request, then consent or the code. */
export async function finishSignIn(request: EndpointRequest, authorize: AuthorizeRequest, client: OAuthClient) {
  const { ctx, runtime } = request;
  if (!authorize.sessionId && authorize.person) {
    const { secret, session } = await openBrowserSession(emOf(ctx), authorize.organization.id, authorize.person.id, runtime.clientInfo(ctx));
    authorize.sessionId = session.id;
    setSessionCookie(request, secret);
  }
  await render(request, await continueAuthorization(emOf(ctx), authorize, client), ctx.method === 'POST');
}
