// Typed domain errors. Each carries a stable `code` (GraphQL `extensions.code`) that every
// dialect maps to its status and wire shape once (src/rest/dialects/*). Messages say what was
// wrong and how to fix it; they never contain secrets.

export interface FieldIssue {
  /** Where the problem is, e.g. ['body', 'handles', 0, 'type']. */
  loc: (string | number)[];
  msg: string;
  type: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly issues: FieldIssue[];
  constructor(message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = new.target.name;
    this.issues = issues;
  }
}

export class BadRequest extends DomainError { readonly code = 'BAD_REQUEST'; }
export class ValidationFailed extends DomainError { readonly code = 'VALIDATION_FAILED'; }
export class Unauthenticated extends DomainError { readonly code = 'UNAUTHENTICATED'; }
export class Forbidden extends DomainError { readonly code = 'FORBIDDEN'; }
export class NotFound extends DomainError { readonly code = 'NOT_FOUND'; }
export class Conflict extends DomainError { readonly code = 'CONFLICT'; }
export class PaymentRequired extends DomainError { readonly code = 'PAYMENT_REQUIRED'; }
export class PreconditionFailed extends DomainError { readonly code = 'PRECONDITION_FAILED'; }
export class PayloadTooLarge extends DomainError { readonly code = 'PAYLOAD_TOO_LARGE'; }
export class UnsupportedMediaType extends DomainError { readonly code = 'UNSUPPORTED_MEDIA_TYPE'; }
/** An error whose request may succeed later: the answer carries Retry-After. */
export abstract class RetryLater extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
export class RateLimited extends RetryLater { readonly code = 'RATE_LIMITED'; }
/** A dependency (the database) cannot be reached for now. */
export class ServiceUnavailable extends RetryLater { readonly code = 'SERVICE_UNAVAILABLE'; }

export type DomainErrorCode = DomainError['code'];

/** The HTTP status of each code; dialects may override a few (FastAPI validation is 422). */
export const httpStatusOf: Record<string, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  // OAuth protocol errors (src/domain/oauth/oauth-errors.ts): RFC 6749 §5.2, RFC 6750 §3.1.
  INVALID_REQUEST: 400,
  INVALID_CLIENT: 401,
  INVALID_GRANT: 400,
  UNAUTHORIZED_CLIENT: 400,
  UNSUPPORTED_GRANT_TYPE: 400,
  UNSUPPORTED_RESPONSE_TYPE: 400,
  INVALID_SCOPE: 400,
  ACCESS_DENIED: 403,
  LOGIN_REQUIRED: 400,
  CONSENT_REQUIRED: 400,
  UNSUPPORTED_TOKEN_TYPE: 400,
  INVALID_TOKEN: 401,
  INSUFFICIENT_SCOPE: 403,
};
