// A logger that keeps every line it is given as JSON, for tests that assert what never reaches
// the logs (secrets, keys).
import type { Logger } from '../../src/log.ts';

export function recordingLogger(): { log: Logger; logged: string[] } {
  const logged: string[] = [];
  const keep = (event: string, fields?: Record<string, unknown>) => { logged.push(JSON.stringify({ event, ...fields })); };
  return { log: { info: keep, warn: keep, error: keep, debug: keep }, logged };
}
