import type { Context } from 'koa';
import type { DomainError, FieldIssue } from '../../domain/errors.ts';
import type { AuthScheme, ParameterDeclaration } from '../parameters.ts';

/** An error on the wire: a domain error, or one of the HTTP layer's own (404 route, 405, 500, 503). */
export interface WireError {
  code: string;
  message: string;
  issues?: FieldIssue[];
  /** Set for errors of the HTTP layer; a domain error's status is the dialect's `statusOf(code)`. */
  status?: number;
  retryAfterSeconds?: number;
  /** The methods of the path, for 405 (and OPTIONS). */
  allow?: string[];
}

export const wireErrorOf = (error: DomainError): WireError => ({
  code: error.code, message: error.message, issues: error.issues,
  ...('retryAfterSeconds' in error ? { retryAfterSeconds: error.retryAfterSeconds as number } : {}),
});

/** Owns a dialect's whole wire: success bodies, error bodies and headers, the status of each code. */
export interface Dialect<Name extends string = 'slashid' | 'vault' | 'scim'> {
  name: Name;
  /** The media type of its JSON bodies, success and error, when not application/json. */
  contentType?: string;
  /** Shown in the OpenAPI document. */
  tag: string;
  /** The `WWW-Authenticate` challenge of a 401. */
  challenge: string;
  /** The credentials a declaration of this dialect takes unless it names others. */
  defaultAuth: AuthScheme;
  /** Parameters a credential scheme implies: listed with (and documented for) every declaration using it. */
  impliedParameters?: Partial<Record<AuthScheme, ParameterDeclaration[]>>;
  /** The operationId of a declaration that names none, when the dialect has a naming rule. */
  operationIdOf?(method: string, path: string): string;
  /** The error statuses of a declaration that lists none, when the dialect has a usual set. */
  errorStatusesOf?(path: string): number[];
  writeSuccess(ctx: Context, status: number, body: unknown, meta?: Record<string, unknown>): void;
  /** The error body of this dialect for `status`. */
  errorBody(status: number, error: WireError): unknown;
  /** Status for a domain error code in this dialect. */
  statusOf(code: string): number;
  errorSchema: Record<string, unknown>;
}

/** Writes an error in the dialect's shape with the headers that go with its status. */
export function writeError(ctx: Context, dialect: Dialect<string>, error: WireError): void {
  const status = error.status ?? dialect.statusOf(error.code);
  ctx.status = status;
  ctx.body = dialect.errorBody(status, error);
  if (dialect.contentType) ctx.type = dialect.contentType;
  if (status === 401) ctx.set('WWW-Authenticate', dialect.challenge);
  if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  if (error.allow) ctx.set('Allow', error.allow.join(', '));
}

/** The methods to advertise for a path that declares `declared`: HEAD goes with GET, OPTIONS always. */
export function allowedMethods(declared: Iterable<string>): string[] {
  const methods = new Set(declared);
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods];
}

/** Answers a method the path does not declare: OPTIONS lists the methods, any other gets 405. */
export function answerUndeclaredMethod(ctx: Context, dialect: Dialect<string>, declared: Iterable<string>): void {
  const allow = allowedMethods(declared);
  if (ctx.method === 'OPTIONS') {
    ctx.status = 204;
    ctx.set('Allow', allow.join(', '));
    return;
  }
  writeError(ctx, dialect, {
    code: 'METHOD_NOT_ALLOWED', status: 405, allow,
    message: `${ctx.method} is not allowed on ${ctx.path}; use ${allow.filter((m) => m !== 'OPTIONS' && m !== 'HEAD').join(', ')}`,
  });
}
