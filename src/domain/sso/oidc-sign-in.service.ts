// Brokered sign-in with an upstream OpenID provider (authorization code + PKCE, state and nonce),
// or an OAuth 2.0 provider (GitHub, Bitbucket: state, PKCE where taken, the person from the user API).
// start: a single-use sign-in row addressed by the SHA-256 of `state`, tied to the pending
// authorize request, and the upstream authorization URL. finish: the row is found by state, must
// belong to the authorize request of the browser that presents it (binding cookie, checked by the
// caller), is spent once, then openid-client redeems the code and verifies the ID token (signature
// against the provider's JWKS, issuer, audience, nonce, expiry); the identity is linked to a person
// and the upstream tokens are stored sealed under an SSO authentication id.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthorizeRequest } from '../oauth/authorize-request.entity.ts';
import { sha256Hex } from '../../crypto/secrets.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import type { AppServices } from '../services.ts';
import { linkUpstreamIdentity, type LinkedIdentity } from './upstream-identity.ts';
import { findRowOf } from '../organization/organization-rows.queries.ts';
import { SsoOidcCredential } from './oidc-credential.entity.ts';
import { SsoOidcLogin } from './oidc-login.entity.ts';
import { findOidcLogin, spendOidcLogin } from './oidc-login.queries.ts';
import { optionsFor, providerDisplayName, scopesFor } from './oidc-providers.ts';
import { upstreamConfiguration, oidc } from './upstream-client.ts';
import { fetchOAuth2Profile, isOAuth2Provider, oauth2UsesPkce } from './oauth2-providers.ts';
import { storeUpstreamTokens } from './oidc-tokens.service.ts';
import { issueSingleUse, secondsFromNow } from '../single-use.ts';

export const OIDC_LOGIN_TTL_SECONDS = 600;

/** A brokered sign-in that cannot go on: the message is for the person at the browser. */
export class UpstreamSignInFailed extends Forbidden {}

async function brokeredCredential(em: EntityManager, organizationId: string, credentialId: string) {
  const credential = await findRowOf(em, SsoOidcCredential, organizationId, credentialId);
  if (!credential || !credential.enableInAuthzServer) throw new NotFound('This sign-in provider is not offered here');
  return credential;
}

/** The URL of the upstream authorization endpoint for this browser's pending `authorize` request. */
export async function startOidcLogin(em: EntityManager, services: AppServices, authorize: AuthorizeRequest,
  credentialId: string, redirectUri: string): Promise<URL> {
  const credential = await brokeredCredential(em, authorize.organization.id, credentialId);
  const config = await upstreamConfiguration(em, credential, services.sealer, services.sso);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const stateHash = sha256Hex(state);
  await issueSingleUse(em, SsoOidcLogin, {
    stateHash, organization: authorize.organization.id, authReqId: authorize.id, credentialId: credential.id,
    sealedVerifier: services.sealer.seal(verifier, stateHash), nonce, redirectUri,
  }, secondsFromNow(OIDC_LOGIN_TTL_SECONDS));
  // OAuth 2.0 providers (GitHub, Bitbucket): no nonce (no ID token), PKCE where the provider takes it.
  const oauth2 = isOAuth2Provider(credential.provider);
  const pkce = !oauth2 || oauth2UsesPkce(credential.provider);
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: scopesFor(credential.provider, optionsFor(credential.provider, credential.options)).join(' '),
    state, ...(oauth2 ? {} : { nonce }),
    ...(pkce ? { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' } : {}),
    ...(authorize.params.loginHint && !oauth2 ? { login_hint: authorize.params.loginHint } : {}),
  });
}

/** The pending sign-in `state` names (its authorize request, for the caller's browser check); null when unknown. */
export async function pendingOidcLogin(em: EntityManager, state: string | undefined) {
  if (!state || state.length > 512) return null;
  const login = await findOidcLogin(em, sha256Hex(state));
  return login && login.expiresAt.getTime() > Date.now() && !login.usedAt ? login : null;
}

export interface FinishedOidcLogin extends LinkedIdentity {
  authReqId: string;
  authenticationId: string;
  provider: string;
}

const CALLBACK_RESERVED = new Set(['code', 'state', 'iss', 'session_state']);

/**
 * The callback: `query` is the callback's query string as received. Spends the sign-in (a second
 * callback with the same state is refused), redeems the code, verifies the ID token, links the
 * identity and stores the upstream tokens. UpstreamSignInFailed on every refusal.
 */
export async function finishOidcLogin(em: EntityManager, services: AppServices, login: SsoOidcLogin,
  query: URLSearchParams, state: string): Promise<FinishedOidcLogin> {
  if (!(await spendOidcLogin(em, login.stateHash))) throw new UpstreamSignInFailed('This sign-in was already used or expired: start again');
  const credential = await brokeredCredential(em, login.organization.id, login.credentialId);
  const name = credential.label || providerDisplayName(credential.provider);
  const upstreamError = query.get('error');
  if (upstreamError) {
    throw new UpstreamSignInFailed(`${name} refused the sign-in: ${upstreamError.slice(0, 64)}${query.get('error_description') ? ` (${query.get('error_description')!.slice(0, 200)})` : ''}`);
  }
  const config = await upstreamConfiguration(em, credential, services.sealer, services.sso);
  // The URL openid-client checks against is the redirect URI we sent, with the query as received.
  const currentUrl = new URL(login.redirectUri);
  currentUrl.search = query.toString();
  const oauth2 = isOAuth2Provider(credential.provider);
  const verifier = services.sealer.unseal(login.sealedVerifier, login.stateHash).toString('utf8');
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, currentUrl, oauth2
      ? { expectedState: state, idTokenExpected: false, ...(oauth2UsesPkce(credential.provider) ? { pkceCodeVerifier: verifier } : {}) }
      : { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: login.nonce, idTokenExpected: true });
  } catch (error) {
    throw new UpstreamSignInFailed(`The sign-in with ${name} could not be verified: ${reasonOf(error)}`);
  }
  // OAuth 2.0 providers: who the access token belongs to, from the provider's user API.
  let claims: { sub: string; email?: unknown; email_verified?: unknown; exp?: number };
  if (oauth2) {
    try {
      const profile = await fetchOAuth2Profile(credential.provider, optionsFor(credential.provider, credential.options), tokens.access_token, services.sso);
      claims = { sub: profile.subject, email: profile.email, email_verified: profile.emailVerified };
    } catch (error) {
      throw new UpstreamSignInFailed(`${name} did not say who signed in: ${reasonOf(error)}`);
    }
  } else {
    claims = tokens.claims()!;
  }
  let email = typeof claims.email === 'string' ? claims.email : undefined;
  let verified = claims.email_verified === true || claims.email_verified === 'true';
  if (!email && !oauth2 && config.serverMetadata().userinfo_endpoint) {
    try {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      email = typeof info.email === 'string' ? info.email : undefined;
      verified = info.email_verified === true;
    } catch { /* no email then: refused below with a reason */ }
  }
  const linked = await linkUpstreamIdentity(em, {
    organizationId: login.organization.id, kind: 'oidc', providerId: credential.id, providerLabel: name,
    subject: claims.sub, email, emailVerified: verified,
  }, services.defaultRegion);
  const authenticationId = timeOrderedUuid();
  const extra = Object.fromEntries([...query.entries()].filter(([k]) => !CALLBACK_RESERVED.has(k)).slice(0, 20)
    .map(([k, v]) => [k.slice(0, 64), v.slice(0, 512)]));
  await storeUpstreamTokens(em, services.sealer, {
    organizationId: login.organization.id, personId: linked.personId, authenticationId, credential,
    accessToken: tokens.access_token, expiresIn: tokens.expiresIn(), refreshToken: tokens.refresh_token,
    idToken: tokens.id_token, idTokenExp: claims.exp, extraCallbackValues: Object.keys(extra).length ? extra : null,
  });
  return { ...linked, authReqId: login.authReqId, authenticationId, provider: credential.provider };
}

/** What went wrong, in words that name no secret (openid-client's messages name checks, not values). */
function reasonOf(error: unknown): string {
  const e = error as { message?: string; error?: string; code?: string };
  if (typeof e.error === 'string') return `the provider answered ${e.error.slice(0, 64)}`;
  return (e.message ?? 'unknown error').slice(0, 200);
}
