// The OAuth 2.0 wire (RFC 6749 §5, RFC 6750 §3): raw JSON success bodies, `{error,
// error_description}` errors, `Cache-Control: no-store` on both. The protocol endpoints of every
// issuer (src/oidc/endpoints/) answer in it, 404 and 405 included. RFC codes come from the domain
// (src/domain/oauth/oauth-errors.ts); other domain codes get the nearest RFC 6749 code.
import type { Context } from 'koa';
import { httpStatusOf } from '../../domain/errors.ts';
import { OAUTH_ERROR_CODES } from '../../domain/oauth/oauth-errors.ts';
import { writeError, type Dialect, type WireError } from './dialect.ts';

/** Tokens and client credentials must never sit in a cache (RFC 6749 §5.1). */
export function noStore(ctx: Context) {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
}

/** Bad input of any kind is a 400 `invalid_request` on this wire (never 413, 415 or 422). */
const INVALID_INPUT = new Set(['VALIDATION_FAILED', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);

function rfcCode(code: string, status: number): string {
  if (OAUTH_ERROR_CODES.has(code)) return code.toLowerCase();
  if (status === 401) return 'invalid_client';
  if (status === 403) return 'access_denied';
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

export const oauth: Dialect<'oauth'> = {
  name: 'oauth',
  tag: 'OAuth 2.0 / OpenID Connect',
  challenge: 'Basic realm="idgraph"',
  // Client authentication is the endpoint's own, decided in the domain after the form is read.
  defaultAuth: 'none',
  writeSuccess(ctx, status, body) {
    noStore(ctx);
    ctx.status = status;
    ctx.body = body === undefined ? '' : body;
  },
  errorBody: (status, { code, message }) => ({ error: rfcCode(code, status), error_description: message }),
  statusOf: (code) => (INVALID_INPUT.has(code) ? 400 : httpStatusOf[code] ?? 500),
  errorSchema: {
    type: 'object', required: ['error'],
    properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  },
};

/**
 * Writes an error on the OAuth wire: no-store, `WWW-Authenticate: Basic` for a client that failed
 * to authenticate, `Bearer error=…` (RFC 6750) for a refused access token.
 */
export function writeOAuthError(ctx: Context, error: WireError, dialect: Dialect<string> = oauth) {
  noStore(ctx);
  writeError(ctx, dialect, error);
  if (error.code === 'INVALID_TOKEN' || error.code === 'INSUFFICIENT_SCOPE') {
    ctx.set('WWW-Authenticate', `Bearer error="${error.code.toLowerCase()}", error_description="${error.message.replace(/["\\]/g, "'")}"`);
  }
}
