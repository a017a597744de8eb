// The rules of a webhook's configuration that need no database: target URLs, Go-duration timeouts,
// custom headers and trigger names. Exported as constants where the wire schemas can state them.
import net from 'node:net';
import { ValidationFailed } from '../errors.ts';
import type { TriggerType } from './webhook.entity.ts';

export const DEFAULT_SYNC_TIMEOUT_MS = 2000;
export const DEFAULT_EVENT_TIMEOUT_MS = 10_000;
export const MAX_TIMEOUT_MS = 20_000;

/** Go's time.Duration text: one or more `<number><unit>`, or a bare `0`. */
export const GO_DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const invalid = (field: string, message: string) =>
  new ValidationFailed(message, [{ loc: ['body', field], msg: message, type: 'value_error' }]);

/** Milliseconds of a Go duration (`0s` = the defaults), at most 20 s. */
export function parseTimeout(text: string): number {
  if (!GO_DURATION.test(text)) throw invalid('timeout', `timeout must be a Go duration such as "5s" or "1500ms", got "${text.slice(0, 32)}"`);
  let ms = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(value) * UNIT_MS[unit!]!;
  ms = Math.round(ms);
  if (ms > MAX_TIMEOUT_MS) throw invalid('timeout', 'timeout must be at most 20s');
  return ms;
}

/** The Go spelling of a timeout: `0s`, `500ms`, `2s`, `1.5s`. */
export function formatTimeout(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  return `${ms / 1000}s`;
}

export function effectiveTimeoutMs(timeoutMs: number, type: TriggerType): number {
  return timeoutMs || (type === 'sync_hook' ? DEFAULT_SYNC_TIMEOUT_MS : DEFAULT_EVENT_TIMEOUT_MS);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1']);

/**
 * A target is `https`, names a host (no IP address, no `localhost`), has no query, fragment or
 * credentials. With `allowLoopback` (WEBHOOK_ALLOW_HTTP_LOOPBACK=1, development and tests),
 * `http://127.0.0.1` and `https://127.0.0.1` (any port) are accepted too.
 */
export function assertTargetUrl(raw: string, allowLoopback: boolean): string {
  let url: URL;
  try { url = new URL(raw); } catch { throw invalid('target_url', 'target_url must be an absolute https URL'); }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = allowLoopback && LOOPBACK_HOSTS.has(host) && ['http:', 'https:'].includes(url.protocol);
  if (url.protocol !== 'https:' && !loopback) throw invalid('target_url', 'target_url must use https');
  if (url.username || url.password) throw invalid('target_url', 'target_url must not carry credentials (use custom_headers)');
  if (raw.includes('?') || raw.includes('#')) throw invalid('target_url', 'target_url must not have a query or a fragment');
  if (!loopback) {
    if (net.isIP(host) || /^\d+$/.test(host) || /^0x[0-9a-f]+$/i.test(host)) throw invalid('target_url', 'target_url must name a host, not an IP address');
    if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
      throw invalid('target_url', 'target_url must name a public host (not localhost or a single-label name)');
    }
  }
  return url.toString();
}

/** HTTP header names (RFC 9110 tokens); hop-by-hop and framing headers the sender sets are refused. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive',
  'upgrade', 'te', 'trailer', 'proxy-authorization', 'expect']);
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function assertCustomHeaders(headers: Record<string, unknown>): Record<string, string[]> {
  const checked: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw invalid('custom_headers', `custom_headers: "${name.slice(0, 64)}" is not a header name`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalid('custom_headers', `custom_headers: ${name} is set by the server and cannot be overridden`);
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string' || !HEADER_VALUE.test(v) || v.length > 4096)) {
      throw invalid('custom_headers', `custom_headers.${name} must be a list of header values (printable, no line breaks)`);
    }
    checked[name] = values as string[];
  }
  return checked;
}

export const SYNC_HOOK_NAMES = ['token_minted', 'identify_user', 'threat_detection', 'posture_detection'] as const;
/** Event names: `Name_v1`-like identifiers (the reference lists many; all are accepted). */
export const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,126}_v[0-9]+$/;

export function assertTrigger(type: TriggerType, name: string): void {
  if (type === 'sync_hook' && !(SYNC_HOOK_NAMES as readonly string[]).includes(name)) {
    throw invalid('trigger_name', `trigger_name of a sync_hook must be one of ${SYNC_HOOK_NAMES.join(', ')}`);
  }
  if (type === 'event' && !EVENT_NAME.test(name)) {
    throw invalid('trigger_name', 'trigger_name of an event must be an event name such as PersonCreated_v1');
  }
}
