// What of an unexpected error may go to the log. Database errors carry the SQL and its bound
// values in their message (a hash, an email); only their SQLSTATE and constraint are kept.
export function errorSummary(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; message?: string; stack?: string; code?: unknown; constraint?: unknown; sqlState?: unknown };
  const sqlState = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : e.sqlState;
  if (sqlState) {
    return { name: e.name, sql_state: sqlState, constraint: e.constraint, stack: frames(e.stack, 1) };
  }
  return { name: e.name, message: e.message?.slice(0, 200), stack: frames(e.stack, 0) };
}

/** The first stack frames only (where), never the message line again. */
function frames(stack: string | undefined, skip: number) {
  return stack?.split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(skip, skip + 5).map((l) => l.trim()).join(' | ');
}
