// OAuth 2.0 / OIDC protocol errors, one class per RFC 6749 / OIDC Core error code. The token,
// introspection and revocation endpoints write them as `{error, error_description}` with
// `Cache-Control: no-store`; the authorization endpoint carries them back to the redirect URI with
// `state`. Descriptions say what was wrong; they never contain a secret.

export abstract class OAuthError extends Error {
  abstract readonly error: string;
  /** HTTP status on the token-style endpoints. */
  readonly status: number = 400;
  constructor(description: string) {
    super(description);
    this.name = new.target.name;
  }
}

export class InvalidRequest extends OAuthError { readonly error = 'invalid_request'; }
export class InvalidClient extends OAuthError { readonly error = 'invalid_client'; override readonly status = 401; }
export class InvalidGrant extends OAuthError { readonly error = 'invalid_grant'; }
export class UnauthorizedClient extends OAuthError { readonly error = 'unauthorized_client'; }
export class UnsupportedGrantType extends OAuthError { readonly error = 'unsupported_grant_type'; }
export class UnsupportedResponseType extends OAuthError { readonly error = 'unsupported_response_type'; }
export class InvalidScope extends OAuthError { readonly error = 'invalid_scope'; }
export class AccessDenied extends OAuthError { readonly error = 'access_denied'; }
export class LoginRequired extends OAuthError { readonly error = 'login_required'; }
export class ConsentRequired extends OAuthError { readonly error = 'consent_required'; }
export class UnsupportedTokenType extends OAuthError { readonly error = 'unsupported_token_type'; }
/** RFC 6750: a missing, unknown, expired or revoked bearer token. */
export class InvalidToken extends OAuthError { readonly error = 'invalid_token'; override readonly status = 401; }
export class InsufficientScope extends OAuthError { readonly error = 'insufficient_scope'; override readonly status = 403; }
