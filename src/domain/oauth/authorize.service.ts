// The authorization endpoint's rules (RFC 6749 §4.1, RFC 7636, OIDC Core §3.1.2): which requests
// may proceed, when a sign-in or consent is needed, and the single-use code at the end. Pending
// requests live in PostgreSQL (`authorize_request`), addressed by an opaque `auth_req_id`.
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthorizeRequest, type AuthorizeParams, type RecordedAuthentication } from './authorize-request.entity.ts';
import type { OAuthClient } from './oauth-client.entity.ts';
import type { Session } from '../session/session.entity.ts';
import { findClientByClientId } from './clients.queries.ts';
import { findActivePerson, findAuthorizeRequest } from './oauth.queries.ts';
import { endpointsOfIssuer } from './endpoints.ts';
import { CODE_TTL_SECONDS, parseScope } from './tokens.service.ts';
import { Person } from '../person/person.entity.ts';
import { NotFound } from '../errors.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import {
  AccessDenied, ConsentRequired, InvalidClient, InvalidRequest, InvalidScope, LoginRequired, OAuthError,
  UnauthorizedClient, UnsupportedResponseType,
} from './oauth-errors.ts';

export const AUTHORIZE_REQUEST_TTL_SECONDS = 600;

export type AuthorizeOutcome =
  /** The client or redirect URI cannot be trusted: show the error, never redirect. */
  | { kind: 'fatal'; error: OAuthError }
  | { kind: 'redirect'; url: string }
  | { kind: 'login'; request: AuthorizeRequest; client: OAuthClient }
  | { kind: 'consent'; request: AuthorizeRequest; client: OAuthClient };

export interface IssuerScope { issuer: string; organizationId?: string }

const randomId = () => crypto.randomBytes(32).toString('base64url');

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function errorRedirect(redirectUri: string, issuer: string, error: OAuthError, state?: string) {
  return redirectWith(redirectUri, { error: error.error, error_description: error.message, state, iss: issuer });
}

const PROMPTS = ['none', 'login', 'consent', 'select_account'];

/** Checks an authorization request and decides what happens next. */
export async function startAuthorization(
  em: EntityManager, scope: IssuerScope, query: Record<string, string | undefined>,
  browser: { session: Session | null; bindingSecret: string },
): Promise<AuthorizeOutcome> {
  const clientId = query.client_id;
  const client = clientId ? await findClientByClientId(em, clientId) : null;
  if (!client || (scope.organizationId && client.organization.id !== scope.organizationId)) {
    return { kind: 'fatal', error: new InvalidClient('Unknown client_id for this issuer') };
  }
  const redirectUri = query.redirect_uri;
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return { kind: 'fatal', error: new InvalidRequest('redirect_uri is missing or not registered for this client (exact match)') };
  }
  const state = query.state;
  const fail = (error: OAuthError): AuthorizeOutcome => ({ kind: 'redirect', url: errorRedirect(redirectUri, scope.issuer, error, state) });

  if (query.request !== undefined || query.request_uri !== undefined) return fail(new InvalidRequest('Request objects are not supported'));
  if (query.response_type !== 'code') return fail(new UnsupportedResponseType('Only response_type=code is supported'));
  if (query.response_mode !== undefined && query.response_mode !== 'query') return fail(new InvalidRequest('Only response_mode=query is supported'));
  if (!client.grantTypes.includes('authorization_code')) return fail(new UnauthorizedClient('This client may not use the authorization code flow'));
  if (client.isLock) return fail(new AccessDenied('This client is locked'));
  let scopes: string[];
  try { scopes = parseScope(query.scope); } catch (e) { return fail(e as OAuthError); }
  const refused = scopes.filter((s) => !client.scopes.includes(s));
  if (refused.length) return fail(new InvalidScope(`The client may not request: ${refused.join(' ')}`));
  if (!query.code_challenge) return fail(new InvalidRequest('PKCE is required: send code_challenge with code_challenge_method=S256'));
  if (query.code_challenge_method !== 'S256') return fail(new InvalidRequest('code_challenge_method must be S256 (plain is refused)'));
  if (!/^[A-Za-z0-9_-]{43}$/.test(query.code_challenge)) return fail(new InvalidRequest('code_challenge must be the base64url SHA-256 of the verifier'));
  if ((state?.length ?? 0) > 2048 || (query.nonce?.length ?? 0) > 2048) return fail(new InvalidRequest('state and nonce are limited to 2048 characters'));
  const prompt = (query.prompt ?? '').split(' ').filter(Boolean);
  if (prompt.some((p) => !PROMPTS.includes(p)) || (prompt.includes('none') && prompt.length > 1)) {
    return fail(new InvalidRequest('prompt must be none, or a combination of login, consent, select_account'));
  }
  let maxAge: number | undefined;
  if (query.max_age !== undefined) {
    if (!/^\d{1,9}$/.test(query.max_age)) return fail(new InvalidRequest('max_age must be a non-negative integer'));
    maxAge = Number(query.max_age);
  }

  const session = browser.session && browser.session.organization.id === client.organization.id ? browser.session : null;
  const fresh = session && (maxAge === undefined || Date.now() - session.createdAt.getTime() <= maxAge * 1000);
  const needLogin = !fresh || prompt.includes('login');
  if (prompt.includes('none') && needLogin) return fail(new LoginRequired('No current sign-in for this client'));

  const params: AuthorizeParams = {
    redirectUri, scope: scopes, state, nonce: query.nonce, codeChallenge: query.code_challenge, prompt, maxAge,
    loginHint: query.login_hint?.slice(0, 320),
  };
  const request = em.create(AuthorizeRequest, {
    id: randomId(), organization: client.organization.id, client, issuer: scope.issuer, params,
    browserBinding: sha256Hex(browser.bindingSecret), csrfToken: randomId(),
    expiresAt: new Date(Date.now() + AUTHORIZE_REQUEST_TTL_SECONDS * 1000),
  });
  if (!needLogin && session) {
    request.person = em.getReference(Person, session.person.id) as never;
    request.authTime = session.createdAt;
    request.sessionId = session.id;
    request.status = 'authenticated';
  }
  await em.flush();
  if (request.status === 'pending') return { kind: 'login', request, client };
  return continueAuthorization(em, request, client);
}

/** After sign-in: consent for third-party clients (or prompt=consent), else the code. */
export async function continueAuthorization(em: EntityManager, request: AuthorizeRequest, client: OAuthClient): Promise<AuthorizeOutcome> {
  const { params } = request;
  const needsConsent = (client.thirdParty || params.prompt.includes('consent')) && request.status !== 'consented';
  if (needsConsent) {
    if (params.prompt.includes('none')) {
      return { kind: 'redirect', url: errorRedirect(params.redirectUri, request.issuer, new ConsentRequired('Consent is needed for this client'), params.state) };
    }
    return { kind: 'consent', request, client };
  }
  return { kind: 'redirect', url: await issueCode(em, request) };
}

async function issueCode(em: EntityManager, request: AuthorizeRequest): Promise<string> {
  const code = randomId();
  request.codeHash = sha256Hex(code);
  request.codeExpiresAt = new Date(Date.now() + CODE_TTL_SECONDS * 1000);
  request.grantId = crypto.randomUUID();
  request.status = 'code_issued';
  await em.flush();
  return redirectWith(request.params.redirectUri, { code, state: request.params.state, iss: request.issuer });
}

/** A pending request this browser started (binding cookie), not expired; null otherwise. */
export async function findBrowserRequest(em: EntityManager, authReqId: string | undefined, bindingSecret: string | undefined) {
  if (!authReqId || !bindingSecret) return null;
  const request = await findAuthorizeRequest(em, authReqId);
  if (!request || request.expiresAt.getTime() < Date.now()) return null;
  const a = Buffer.from(request.browserBinding, 'hex');
  const b = Buffer.from(sha256Hex(bindingSecret), 'hex');
  return crypto.timingSafeEqual(a, b) ? request : null;
}

export function csrfMatches(request: AuthorizeRequest, presented: string | undefined): boolean {
  if (!presented || presented.length !== request.csrfToken.length) return false;
  return crypto.timingSafeEqual(Buffer.from(presented), Buffer.from(request.csrfToken));
}

/**
 * Records that `personId` signed in for the pending request `authReqId` (password here; a
 * zero-knowledge or passkey login elsewhere). The browser then goes to `continueUrl`, which opens
 * its session and answers with consent or the redirect carrying the code.
 */
export async function completeAuthorizeRequest(em: EntityManager, authReqId: string, personId: string,
  authentication?: RecordedAuthentication) {
  const request = await findAuthorizeRequest(em, authReqId);
  if (!request || request.status !== 'pending' || request.expiresAt.getTime() < Date.now()) {
    throw new NotFound('No pending authorization request with this auth_req_id');
  }
  const person = await findActivePerson(em, personId, request.organization.id);
  if (!person) throw new NotFound('No active person with this id in the organization of the authorization request');
  request.person = em.getReference(Person, person.id) as never;
  request.authTime = new Date();
  request.authentication = authentication ?? null;
  request.status = 'authenticated';
  await em.flush();
  const continueUrl = `${endpointsOfIssuer(request.issuer).authorizeContinue}?auth_req_id=${encodeURIComponent(request.id)}`;
  return { request, continueUrl };
}

export async function decideConsent(em: EntityManager, request: AuthorizeRequest, client: OAuthClient, allow: boolean): Promise<AuthorizeOutcome> {
  if (!allow) {
    request.status = 'denied';
    await em.flush();
    return { kind: 'redirect', url: errorRedirect(request.params.redirectUri, request.issuer, new AccessDenied('The person declined'), request.params.state) };
  }
  request.status = 'consented';
  return continueAuthorization(em, request, client);
}
