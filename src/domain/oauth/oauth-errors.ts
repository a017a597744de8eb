// OAuth 2.0 / OpenID Connect protocol errors, one class per RFC 6749 / RFC 6750 / OIDC Core error
// code. They are domain errors like any other: `code` (GraphQL `extensions.code`) is the RFC code
// in upper case, `error` the RFC code itself. Each dialect maps the code once: the OAuth dialect
// (dialect.ts of the OIDC face) writes `{error, error_description}` with `Cache-Control: no-store`; the
// authorization endpoint carries them back to the redirect URI with `state`. Descriptions say what
// was wrong; they never contain a secret.
import { DomainError } from '../errors.ts';

export abstract class OAuthError extends DomainError {
  /** The RFC error code on the wire (`invalid_grant`). */
  get error(): string {
    return this.code.toLowerCase();
  }
}

export class InvalidRequest extends OAuthError { readonly code = 'INVALID_REQUEST'; }
export class InvalidClient extends OAuthError { readonly code = 'INVALID_CLIENT'; }
export class InvalidGrant extends OAuthError { readonly code = 'INVALID_GRANT'; }
export class UnauthorizedClient extends OAuthError { readonly code = 'UNAUTHORIZED_CLIENT'; }
export class UnsupportedGrantType extends OAuthError { readonly code = 'UNSUPPORTED_GRANT_TYPE'; }
export class UnsupportedResponseType extends OAuthError { readonly code = 'UNSUPPORTED_RESPONSE_TYPE'; }
export class InvalidScope extends OAuthError { readonly code = 'INVALID_SCOPE'; }
export class AccessDenied extends OAuthError { readonly code = 'ACCESS_DENIED'; }
export class LoginRequired extends OAuthError { readonly code = 'LOGIN_REQUIRED'; }
export class ConsentRequired extends OAuthError { readonly code = 'CONSENT_REQUIRED'; }
export class UnsupportedTokenType extends OAuthError { readonly code = 'UNSUPPORTED_TOKEN_TYPE'; }
/** RFC 6750: a missing, unknown, expired or revoked bearer token. */
export class InvalidToken extends OAuthError { readonly code = 'INVALID_TOKEN'; }
export class InsufficientScope extends OAuthError { readonly code = 'INSUFFICIENT_SCOPE'; }

/** The domain codes that are RFC error codes (lower-cased on the wire). */
export const OAUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'INVALID_REQUEST', 'INVALID_CLIENT', 'INVALID_GRANT', 'UNAUTHORIZED_CLIENT', 'UNSUPPORTED_GRANT_TYPE',
  'UNSUPPORTED_RESPONSE_TYPE', 'INVALID_SCOPE', 'ACCESS_DENIED', 'LOGIN_REQUIRED', 'CONSENT_REQUIRED',
  'UNSUPPORTED_TOKEN_TYPE', 'INVALID_TOKEN', 'INSUFFICIENT_SCOPE',
]);
