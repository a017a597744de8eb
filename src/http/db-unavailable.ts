// Recognises "PostgreSQL cannot be reached right now" among the errors a request may end with, so
// every face answers 503 with Retry-After instead of 500 while it is down. The pool opens new
// connections on the next request, so the server recovers by itself once PostgreSQL is back.
import { ServiceUnavailable } from '../domain/errors.ts';

/** What a client is told to wait before retrying, in seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
export const DATABASE_UNAVAILABLE_MESSAGE =
  `The database is unavailable; retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds`;

// Socket errors of a refused, reset or unreachable connection.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// SQLSTATE: class 08 connection exception; 57P01-57P03 admin/crash shutdown, cannot connect now
// (starting up or shutting down); 53300 too many connections.
const SQL_STATES = /^(08...|57P0[123]|53300)$/;
// pg and pg-pool say so only in the message.
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Connection ended/i;

/** Whether `error` (or what it wraps) says the database cannot be reached or is shutting down. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const e = queue.shift() as { code?: unknown; sqlState?: unknown; message?: unknown; cause?: unknown; errors?: unknown; originalError?: unknown } | null;
    if (!e || typeof e !== 'object' || seen.has(e) || seen.size > 16) continue;
    seen.add(e);
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQL_STATES.test(e.code))) return true;
    if (typeof e.sqlState === 'string' && SQL_STATES.test(e.sqlState)) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    // Wrapped by MikroORM (cause), GraphQL (originalError) or a dual-stack connect (AggregateError).
    queue.push(e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return false;
}

/** The typed error a face answers with while the database is unavailable. */
export const databaseUnavailable = () => new ServiceUnavailable(DATABASE_UNAVAILABLE_MESSAGE, DATABASE_RETRY_AFTER_SECONDS);
