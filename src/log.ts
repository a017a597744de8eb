// One JSON line per event. Callers pass only what is safe to print: never keys, tokens or bodies.
export type LogLevel = 'silent' | 'info' | 'debug';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = 'info'): Logger {
  const write = (severity: string, event: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level: severity, event, ...fields });
    (severity === 'error' || severity === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  };
  const on = level !== 'silent';
  return {
    info: (e, f) => on && write('info', e, f),
    warn: (e, f) => on && write('warn', e, f),
    error: (e, f) => on && write('error', e, f),
    debug: (e, f) => level === 'debug' && write('debug', e, f),
  };
}
