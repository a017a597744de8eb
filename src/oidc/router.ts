// The OIDC provider's endpoints as small Koa routes: each reads the protocol's wire (query, form,
// cookies, Basic auth), calls a domain service in src/domain/oauth, and writes the answer (JSON,
// redirect or HTML). Mounted for the root issuer (PUBLIC_URL, SlashID paths), for every tenant
// under /realms/{tenant_id} (Keycloak's layout), and at the Secrets Vault aliases.
import crypto from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyStore } from '../domain/oauth/keys.ts';
import { realmEndpoints, rootEndpoints, endpointsOfIssuer, type IssuerEndpoints } from '../domain/oauth/endpoints.ts';
import { findByTenantId } from '../domain/organization/organization.queries.ts';
import { authenticateClient, presentedClient } from '../domain/oauth/client-auth.ts';
import type { ClientCache } from '../domain/oauth/clients.queries.ts';
import {
  authorizationCodeGrant, clientCredentialsGrant, currentUser, introspect, refreshTokenGrant, revoke, userinfo,
} from '../domain/oauth/tokens.service.ts';
import {
  completeAuthorizeRequest, continueAuthorization, csrfMatches, decideConsent, findBrowserRequest, startAuthorization,
  type AuthorizeOutcome,
} from '../domain/oauth/authorize.service.ts';
import { openSession, sessionFromCookie, SESSION_TTL_SECONDS, verifyPasswordLogin } from '../domain/oauth/sessions.service.ts';
import { logout } from '../domain/oauth/logout.service.ts';
import { signInWithTicket } from '../domain/oauth/ticket-signin.service.ts';
import type { AuthorizeRequest } from '../domain/oauth/authorize-request.entity.ts';
import type { OAuthClient } from '../domain/oauth/oauth-client.entity.ts';
import { InvalidRequest, OAuthError, UnsupportedGrantType } from './errors.ts';
import { UNKNOWN_CLIENT, type ClientInfo } from '../domain/principal.ts';
import {
  bearerOf, cookieOf, noStore, pathOrQueryProblem, queryParams, readForm, setCookie, writeOAuthError, type Params,
} from './http.ts';
import { consentPage, errorPage, loginPage, signedOutPage, type ZkpOffer } from './pages.ts';
import { LOGIN_SCRIPT_PATH, loginScript } from './login-script.ts';
import { zkpLoginMethods } from '../domain/login/login-methods.ts';
import { Organization } from '../domain/organization/organization.entity.ts';
import type { Logger } from '../log.ts';

export interface OidcRuntime {
  keys: KeyStore;
  clients: ClientCache;
  /** PUBLIC_URL, or the address the server listens on. */
  publicUrl: () => string;
  /** IP, country and user agent of a request (src/http/client-info.ts), for sessions and throttling. */
  clientInfo?: (ctx: Context) => ClientInfo;
  /** Reports a failed build of the login script (the page then offers the password form only). */
  log?: Pick<Logger, 'error'>;
}

const SESSION_COOKIE = 'idg_session';
/** Where the login page sends the browser with a ZKP login ticket (one path for every issuer). */
export const LOGIN_TICKET_PATH = '/login/ticket';
const BINDING_COOKIE = 'idg_bind';

interface Issuer { endpoints: IssuerEndpoints; organizationId?: string }

const SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access'];

function discovery(e: IssuerEndpoints) {
  return {
    issuer: e.issuer,
    authorization_endpoint: e.authorization,
    token_endpoint: e.token,
    userinfo_endpoint: e.userinfo,
    jwks_uri: e.jwks,
    end_session_endpoint: e.endSession,
    introspection_endpoint: e.introspection,
    revocation_endpoint: e.revocation,
    scopes_supported: SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['EdDSA', 'RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'org_id', 'email', 'email_verified',
      'phone_number', 'phone_number_verified', 'username', 'preferred_username', 'locale', 'updated_at'],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

export function buildOidcRouter(runtime: OidcRuntime): Router {
  const router = new Router();
  const { keys, clients } = runtime;
  // Input PostgreSQL cannot store is refused before any endpoint reads it (forms: readForm).
  router.use(async (ctx, next) => {
    const problem = pathOrQueryProblem(ctx);
    if (problem) return writeOAuthError(ctx, new InvalidRequest(problem));
    await next();
  });
  const secure = () => runtime.publicUrl().startsWith('https:');
  const em = (ctx: Context) => ctx.state.em as EntityManager;
  const clientOf = (ctx: Context) => (runtime.clientInfo ? runtime.clientInfo(ctx) : UNKNOWN_CLIENT);

  // The login page's script is bundled now, at start-up, and kept for the life of the process.
  const script = () => loginScript().catch((error: unknown) => {
    runtime.log?.error('login_script_build_failed', { message: (error as Error).message?.slice(0, 500) });
    return undefined;
  });
  void script();

  const root = (): Issuer => ({ endpoints: rootEndpoints(runtime.publicUrl()) });
  async function realm(ctx: Context, tenantId: string | undefined): Promise<Issuer | undefined> {
    const org = tenantId && tenantId.length <= 128 ? await findByTenantId(em(ctx), tenantId) : null;
    if (!org) return undefined;
    return { endpoints: realmEndpoints(runtime.publicUrl(), org.tenantId), organizationId: org.id };
  }

  /** Runs a JSON endpoint for the issuer `pick` resolves, writing OAuth errors the RFC way. */
  const jsonEndpoint = (pick: (ctx: Context) => Promise<Issuer | undefined> | Issuer,
    handler: (ctx: Context, issuer: Issuer) => Promise<void>) => async (ctx: Context) => {
    try {
      const issuer = await pick(ctx);
      if (!issuer) {
        noStore(ctx);
        ctx.status = 404;
        ctx.body = { error: 'invalid_request', error_description: 'Unknown realm' };
        return;
      }
      await handler(ctx, issuer);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      writeOAuthError(ctx, error);
    }
  };

  async function authenticated(ctx: Context, issuer: Issuer, form: Params) {
    return authenticateClient(em(ctx), clients, presentedClient(ctx.get('authorization') || undefined, form), issuer.organizationId);
  }

  const token = async (ctx: Context, issuer: Issuer, form?: Params) => {
    noStore(ctx);
    form ??= await readForm(ctx);
    const client = await authenticated(ctx, issuer, form);
    const iss = issuer.endpoints.issuer;
    switch (form.grant_type) {
      case 'authorization_code': ctx.body = await authorizationCodeGrant(em(ctx), keys, client, iss, form, clientOf(ctx)); break;
      case 'client_credentials': ctx.body = await clientCredentialsGrant(em(ctx), keys, client, iss, form.scope); break;
      case 'refresh_token': ctx.body = await refreshTokenGrant(em(ctx), keys, client, iss, form, clientOf(ctx)); break;
      case undefined: throw new InvalidRequest('grant_type is required');
      default: throw new UnsupportedGrantType('grant_type must be authorization_code, client_credentials or refresh_token');
    }
  };

  const introspection = async (ctx: Context, issuer: Issuer) => {
    noStore(ctx);
    const form = await readForm(ctx);
    const client = await authenticated(ctx, issuer, form);
    if (client.public) throw new InvalidRequest('Public clients cannot introspect tokens');
    ctx.body = await introspect(em(ctx), client, issuer.endpoints.issuer, form.token);
  };

  const revocation = async (ctx: Context, issuer: Issuer) => {
    noStore(ctx);
    const form = await readForm(ctx);
    const client = await authenticated(ctx, issuer, form);
    await revoke(em(ctx), client, form.token);
    ctx.status = 200;
    ctx.body = '';
  };

  const userinfoEndpoint = async (ctx: Context, issuer: Issuer) => {
    noStore(ctx);
    let token = bearerOf(ctx);
    if (!token && ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded')) token = (await readForm(ctx)).access_token;
    ctx.body = await userinfo(em(ctx), token, issuer.endpoints.issuer);
  };

  // ---- browser side: authorize, login, consent, continue, logout ----

  function bindingOf(ctx: Context): string {
    let binding = cookieOf(ctx, BINDING_COOKIE);
    if (!binding || !/^[A-Za-z0-9_-]{43}$/.test(binding)) {
      binding = crypto.randomBytes(32).toString('base64url');
      setCookie(ctx, BINDING_COOKIE, binding, { secure: secure() });
    }
    return binding;
  }

  /** The zero-knowledge sign-in the login page offers for the request's tenant, if any. */
  async function zkpOffer(ctx: Context, request: AuthorizeRequest): Promise<ZkpOffer | undefined> {
    const org = await em(ctx).findOne(Organization, { id: request.organization.id });
    const methods = org ? zkpLoginMethods(org.tenantSettings) : [];
    if (!org || !methods.length) return undefined;
    const built = await script();
    return built && { scriptUrl: built.url, tenantId: org.tenantId, ticketUrl: LOGIN_TICKET_PATH, methods };
  }

  async function render(ctx: Context, outcome: AuthorizeOutcome, afterPost: boolean) {
    noStore(ctx);
    switch (outcome.kind) {
      case 'fatal': return errorPage(ctx, 400, outcome.error.error, outcome.error.message);
      case 'redirect':
        ctx.status = afterPost ? 303 : 302;
        ctx.set('Location', outcome.url);
        ctx.body = '';
        return;
      case 'login':
        return loginPage(ctx, endpointsOfIssuer(outcome.request.issuer).login, outcome.client, {
          authReqId: outcome.request.id, csrf: outcome.request.csrfToken, handle: outcome.request.params.loginHint,
          zkp: await zkpOffer(ctx, outcome.request),
        });
      case 'consent':
        return consentPage(ctx, endpointsOfIssuer(outcome.request.issuer).consent, outcome.client, {
          authReqId: outcome.request.id, csrf: outcome.request.csrfToken, scope: outcome.request.params.scope,
        });
    }
  }

  const authorize = (pick: (ctx: Context) => Promise<Issuer | undefined> | Issuer) => async (ctx: Context) => {
    const issuer = await pick(ctx);
    if (!issuer) return errorPage(ctx, 404, 'invalid_request', 'Unknown realm');
    let params: Params;
    try {
      params = ctx.method === 'POST' ? await readForm(ctx) : queryParams(ctx);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return errorPage(ctx, 400, error.error, error.message);
    }
    const session = await sessionFromCookie(em(ctx), cookieOf(ctx, SESSION_COOKIE));
    const outcome = await startAuthorization(em(ctx),
      { issuer: issuer.endpoints.issuer, organizationId: issuer.organizationId }, params,
      { session, bindingSecret: bindingOf(ctx) });
    await render(ctx, outcome, false);
  };

  /** The request this browser is signing in for, from a form or query; null renders an error page. */
  async function browserRequest(ctx: Context, params: Params, csrfRequired: boolean) {
    const request = await findBrowserRequest(em(ctx), params.auth_req_id, cookieOf(ctx, BINDING_COOKIE));
    if (!request || (csrfRequired && !csrfMatches(request, params.csrf_token))) {
      errorPage(ctx, 400, 'invalid_request', 'This sign-in expired or was started in another browser');
      return null;
    }
    return request;
  }

  /** Opens the browser's session for a signed-in request, then consent or the code. */
  async function finishSignIn(ctx: Context, request: AuthorizeRequest, client: OAuthClient) {
    if (!request.sessionId && request.person) {
      const { secret, session } = await openSession(em(ctx), request.organization.id, request.person.id, clientOf(ctx));
      request.sessionId = session.id;
      setCookie(ctx, SESSION_COOKIE, secret, { secure: secure(), maxAgeSeconds: SESSION_TTL_SECONDS });
    }
    await render(ctx, await continueAuthorization(em(ctx), request, client), ctx.method === 'POST');
  }

  const login = async (ctx: Context) => {
    let form: Params;
    try { form = await readForm(ctx); } catch { return errorPage(ctx, 400, 'invalid_request', 'Send the sign-in form'); }
    const request = await browserRequest(ctx, form, true);
    if (!request) return;
    const client = request.client.getEntity();
    if (request.status !== 'pending') return errorPage(ctx, 400, 'invalid_request', 'This sign-in is already complete');
    const result = await verifyPasswordLogin(em(ctx), request.organization.id, form.handle ?? '', form.password ?? '', clientOf(ctx));
    const { person } = result;
    if (!person) {
      const blocked = 'blocked' in result && result.blocked;
      if (blocked) ctx.set('Retry-After', String(result.retryAfterSeconds ?? 1));
      return loginPage(ctx, endpointsOfIssuer(request.issuer).login, client, {
        authReqId: request.id, csrf: request.csrfToken, handle: form.handle,
        error: !blocked ? 'Wrong handle or password'
          : result.checked ? 'Wrong handle or password. Too many failed attempts: try again later'
            : 'Too many failed attempts: try again later',
        zkp: await zkpOffer(ctx, request),
      }, blocked ? 429 : 401);
    }
    const { request: completed } = await completeAuthorizeRequest(em(ctx), request.id, person.id);
    await finishSignIn(ctx, completed, client);
  };

  /** GET /login/ticket?auth_req_id=…&nonce=…: the end of a zero-knowledge sign-in (docs/zkp.md). */
  const ticketSignIn = async (ctx: Context) => {
    const params = queryParams(ctx);
    const request = await browserRequest(ctx, params, false);
    if (!request) return;
    try {
      const { request: completed, cookieSecret } = await signInWithTicket(em(ctx), request, params.nonce);
      setCookie(ctx, SESSION_COOKIE, cookieSecret, { secure: secure(), maxAgeSeconds: SESSION_TTL_SECONDS });
      await finishSignIn(ctx, completed, completed.client.getEntity());
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      errorPage(ctx, 400, error.error, error.message);
    }
  };

  /** The login page's script: this process's bundle, immutable under its hash (src/oidc/login-script.ts). */
  const loginScriptEndpoint = async (ctx: Context) => {
    const built = await script();
    if (!built) {
      ctx.status = 503;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { detail: 'The login script is not available' };
      return;
    }
    ctx.status = 200;
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('ETag', built.etag);
    ctx.set('Cache-Control', ctx.query.v === built.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = built.code;
  };

  const resume = async (ctx: Context) => {
    const request = await browserRequest(ctx, queryParams(ctx), false);
    if (!request) return;
    if (request.status !== 'authenticated') return errorPage(ctx, 400, 'invalid_request', 'This sign-in is not complete');
    await finishSignIn(ctx, request, request.client.getEntity());
  };

  const consent = async (ctx: Context) => {
    let form: Params;
    try { form = await readForm(ctx); } catch { return errorPage(ctx, 400, 'invalid_request', 'Send the consent form'); }
    const request = await browserRequest(ctx, form, true);
    if (!request) return;
    if (request.status !== 'authenticated') return errorPage(ctx, 400, 'invalid_request', 'Nothing waits for consent');
    await render(ctx, await decideConsent(em(ctx), request, request.client.getEntity(), form.decision === 'allow'), true);
  };

  const endSession = (pick: ((ctx: Context) => Promise<Issuer | undefined> | Issuer) | undefined) => async (ctx: Context) => {
    noStore(ctx);
    try {
      const issuer = pick ? await pick(ctx) : undefined;
      if (pick && !issuer) return errorPage(ctx, 404, 'invalid_request', 'Unknown realm');
      const params = ctx.method === 'POST' ? await readForm(ctx) : queryParams(ctx);
      const result = await logout(em(ctx), keys, issuer?.endpoints.issuer, params, cookieOf(ctx, SESSION_COOKIE));
      setCookie(ctx, SESSION_COOKIE, '', { secure: secure(), maxAgeSeconds: 0 });
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
  };

  const jwks = async (ctx: Context) => {
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.type = 'application/jwk-set+json';
    ctx.body = await keys.publicJwks();
  };

  // Endpoints a browser app (a public client) calls directly get CORS for any origin, without
  // cookies: they take bearer tokens or client credentials, never the session cookie.
  const cors = (paths: string[]) => {
    router.use(paths, async (ctx, next) => {
      ctx.set('Access-Control-Allow-Origin', '*');
      if (ctx.method !== 'OPTIONS') return next();
      ctx.set('Access-Control-Allow-Methods', 'GET, POST');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
    });
    for (const path of paths) router.options(path, () => {});
  };
  const p = '/realms/:tenant_id/protocol/openid-connect';
  cors(['/.well-known/openid-configuration', '/.well-known/jwks.json', '/oauth2/tokens', '/oauth2/tokens/revoke', '/oauth2/userinfo',
    '/realms/:tenant_id/.well-known/openid-configuration', `${p}/certs`, `${p}/token`, `${p}/revoke`, `${p}/userinfo`, '/user/me']);

  // ---- root issuer (SlashID paths) ----
  const r = () => root();
  router.get('/.well-known/openid-configuration', (ctx) => { ctx.body = discovery(root().endpoints); });
  router.get('/.well-known/jwks.json', jwks);
  router.get('/oauth2/authorize', authorize(r));
  router.post('/oauth2/authorize', authorize(r));
  router.get('/oauth2/authorize/continue', resume);
  router.get(LOGIN_TICKET_PATH, ticketSignIn);
  router.get(LOGIN_SCRIPT_PATH, loginScriptEndpoint);
  router.post('/oauth2/authorize/login', login);
  router.post('/oauth2/authorize/consent', consent);
  router.post('/oauth2/tokens', jsonEndpoint(r, (ctx, i) => token(ctx, i)));
  router.post('/oauth2/tokens/introspect', jsonEndpoint(r, introspection));
  router.post('/oauth2/tokens/revoke', jsonEndpoint(r, revocation));
  router.get('/oauth2/userinfo', jsonEndpoint(r, userinfoEndpoint));
  router.post('/oauth2/userinfo', jsonEndpoint(r, userinfoEndpoint));
  router.get('/oauth2/logout', endSession(r));
  router.post('/oauth2/logout', endSession(r));

  // ---- per-tenant issuers (Keycloak layout) ----
  const t = (ctx: Context) => realm(ctx, ctx.params.tenant_id);
  router.get('/realms/:tenant_id/.well-known/openid-configuration', jsonEndpoint(t, async (ctx, i) => { ctx.body = discovery(i.endpoints); }));
  router.get(`${p}/certs`, jsonEndpoint(t, (ctx) => jwks(ctx)));
  router.get(`${p}/auth`, authorize(t));
  router.post(`${p}/auth`, authorize(t));
  router.get(`${p}/auth/continue`, resume);
  router.post(`${p}/auth/login`, login);
  router.post(`${p}/auth/consent`, consent);
  router.post(`${p}/token`, jsonEndpoint(t, (ctx, i) => token(ctx, i)));
  router.post(`${p}/token/introspect`, jsonEndpoint(t, introspection));
  router.post(`${p}/revoke`, jsonEndpoint(t, revocation));
  router.get(`${p}/userinfo`, jsonEndpoint(t, userinfoEndpoint));
  router.post(`${p}/userinfo`, jsonEndpoint(t, userinfoEndpoint));
  router.get(`${p}/logout`, endSession(t));
  router.post(`${p}/logout`, endSession(t));

  // ---- Secrets Vault aliases (endpoint table 2, rows 4, 5, 12–15) ----
  router.post('/token', async (ctx) => {
    let form: Params;
    try { form = await readForm(ctx); } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return writeOAuthError(ctx, error);
    }
    await jsonEndpoint(() => realm(ctx, form.tenant_id), (c, i) => token(c, i, form))(ctx);
  });
  router.post('/:tenant_id/token', jsonEndpoint(t, (ctx, i) => token(ctx, i)));
  router.get('/logout', endSession(undefined));
  router.post('/logout', endSession(undefined));
  router.get('/user/me', async (ctx) => {
    noStore(ctx);
    try {
      ctx.body = await currentUser(em(ctx), bearerOf(ctx));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      ctx.status = 401;
      ctx.set('WWW-Authenticate', `Bearer error="${error.error}"`);
      ctx.body = { detail: error.message };
    }
  });
  return router;
}
