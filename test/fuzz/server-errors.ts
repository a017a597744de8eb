// What the server logged as unexpected while a fuzz request ran, and which of those 500s are known
// and being fixed in another branch.
import type { Logger } from '../../src/log.ts';

/** An `unhandled_error` (REST) or `graphql_internal_error` (/graphql) event: name, message or SQLSTATE, stack frames. */
export interface LoggedError { event: string; name?: string; message?: string; sql_state?: string; stack?: string }

/** A logger that keeps the error events (requests are sent one at a time, so the new ones are the request's). */
export function capturingLogger(): Logger & { take(): LoggedError[] } {
  let errors: LoggedError[] = [];
  const keep = (event: string, fields?: Record<string, unknown>) => { errors.push({ event, ...fields } as LoggedError); };
  return {
    info: () => {}, debug: () => {}, warn: () => {}, error: keep,
    take: () => { const taken = errors; errors = []; return taken; },
  };
}

export interface SentRequest { method: string; path: string; body?: string | Buffer }

const hasNul = (r: SentRequest) => /%00/i.test(r.path) || /\\u0000/i.test(r.body?.toString('utf8') ?? '')
  || (Buffer.isBuffer(r.body) && r.body.includes(0));
const nestingOf = (text: string) => {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
};

/** Tallies of the fuzz run, printed at the end. */
export class FuzzStats {
  requests = 0;
  readonly statuses = new Map<number | string, number>();
  /**
   * Operations (or root fields) by how many of their requests answered 2xx without errors: a zero
   * never got all the way through (a GraphQL field whose selection some credentials may not read
   * counts as an error even when the change was made).
   */
  readonly succeeded = new Map<string, number>();
  count(status: number | string, operation?: string) {
    this.requests++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (operation) this.succeeded.set(operation, (this.succeeded.get(operation) ?? 0) + (typeof status === 'number' && status < 300 ? 1 : 0));
  }
  summary() {
    const sorted = (m: Map<any, number>) => Object.fromEntries([...m].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const neverSucceeded = [...this.succeeded].filter(([, n]) => n === 0).map(([operation]) => operation);
    return { requests: this.requests, statuses: sorted(this.statuses), neverSucceeded };
  }
}

export const describeLogged = (errors: LoggedError[]) =>
  errors.map((e) => `${e.event}: ${e.name ?? ''} ${e.sql_state ? `SQLSTATE ${e.sql_state}` : e.message ?? ''}\n    ${e.stack ?? ''}`).join('\n');
