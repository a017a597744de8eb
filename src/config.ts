// Typed environment: every variable the server reads is listed here (and in README.md).
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { FALLBACK_REGION, isRegion, REGIONS, type RegionName } from './domain/person/regions.ts';
import type { TierLimits } from './domain/organization/quota.ts';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; unset means an embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * DATABASE_REPLICA_URLS: streaming replicas of DATABASE_URL (comma-separated) that read-only
   * requests may read from (src/db/read-routing.ts); empty = every statement on the primary.
   */
  databaseReplicaUrls: string[];
  dataDir: string;
  embeddedPgPort: number;
  maxBodyBytes: number;
  /** Request-body limit of streamed uploads (multipart routes such as the persons bulk import). */
  maxImportBytes: number;
  defaultRegion: RegionName;
  logLevel: 'silent' | 'info' | 'debug';
  /**
   * How many reverse proxies in front of the server append to X-Forwarded-For (TRUST_PROXY: unset
   * or false = none, the socket address is the client; true = 1; or a number). The client IP is
   * the address that many hops from the right of the header.
   */
  trustProxyHops: number;
  /** A header a trusted proxy sets to the client's ISO country code (e.g. CF-IPCountry); unset = none. */
  countryHeader: string | undefined;
  /** How often the outbox dispatcher looks for mail to send, in ms; 0 turns it off. */
  outboxPollMs: number;
  /** IDLE_MEMORY_TRIM_MS: after this long without a request, a grown heap is given back (0 = never). */
  idleMemoryTrimMs: number;
  /** The login page's password-reset address; the mailed link adds code, username and tenant_id. */
  passwordResetUrl: string;
  /** PUBLIC_URL: the root issuer and base of every URL handed to browsers and clients; unset
   *  means the address the server listens on (http://127.0.0.1:4000 with the defaults). */
  publicUrl: string | undefined;
  /** IDGRAPH_MASTER_KEY: 32 bytes (64 hex or 43/44 base64 chars) encrypting signing keys at rest;
   *  unset means a key generated into `<dataDir>/master.key` (with a warning). */
  masterKey: string | undefined;
  /** KEY_ROTATION_OVERLAP_SECONDS: how long a rotated-out key stays in the JWKS (default 1 day). */
  keyRotationOverlapSeconds: number;
  /** HEADERS_TIMEOUT_MS: a connection that has not sent complete request headers by then gets
   *  408 and is closed (slow-header clients cannot hold connections open). */
  headersTimeoutMs: number;
  /** REQUEST_TIMEOUT_MS: the same for the whole request, body included (large uploads); 0 = none. */
  requestTimeoutMs: number;
  /** WEBAUTHN_RP_ID: the passkeys' relying-party id (a domain); unset = PUBLIC_URL's host name. */
  webauthnRpId: string | undefined;
  /** WEBAUTHN_ORIGINS: origins allowed besides PUBLIC_URL's in a passkey ceremony (comma-separated). */
  webauthnOrigins: string[];
  /** WEBAUTHN_USER_VERIFICATION: required | preferred (default) | discouraged. */
  webauthnUserVerification: 'required' | 'preferred' | 'discouraged';
  /** WEBHOOK_POLL_MS: how often the event sender looks for due deliveries (it is also woken at each commit that emits events); 0 turns it off. */
  webhookPollMs: number;
  /** WEBHOOK_RETRY_BASE_MS: the delay before the first retry; doubled per attempt (at most an hour), ±20 % jitter. */
  webhookRetryBaseMs: number;
  /** WEBHOOK_MAX_ATTEMPTS: attempts before a delivery is given up and kept as `failed` with its last error. */
  webhookMaxAttempts: number;
  /** WEBHOOK_ALLOW_HTTP_LOOPBACK=1: webhook targets on http(s)://127.0.0.1 are accepted (development and tests only). */
  webhookAllowHttpLoopback: boolean;
  /** WEBHOOK_CA_FILE: PEM certificates trusted for webhook targets besides the system's (the file's content). */
  webhookCa: string | undefined;
  /** WEBHOOK_SYNC_FAILURE: `issue` (default) a token without the claims of a failing or late sync hook, or `fail`. */
  webhookSyncFailure: 'issue' | 'fail';
  /**
   * TIER_MAX_PERSONS, TIER_MAX_GROUPS, TIER_MAX_SUBORGANIZATIONS: the limits of the server's pricing
   * tier, counted over an organization hierarchy (a root organization and everything below it);
   * unset = no limit. Creating past one answers 402.
   */
  tierLimits: TierLimits;
  /** SSO_ALLOW_HTTP_LOOPBACK=1: upstream OpenID providers on http://127.0.0.1 / localhost are accepted (development and tests only). */
  ssoAllowHttpLoopback: boolean;
  /** SSO_HTTP_TIMEOUT_MS: the limit of each call to an upstream provider (discovery, token, JWKS, revocation). */
  ssoHttpTimeoutMs: number;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function trustProxyFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return 0;
  if (raw === 'true') return 1;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`TRUST_PROXY must be true, false or a number of proxy hops (0-10), got "${raw}"`);
  }
  return hops;
}

function publicUrlFrom(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try { url = new URL(raw); } catch { throw new Error(`PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`); }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new Error(`PUBLIC_URL must be an http(s) URL without query or fragment, got "${raw}"`);
  }
  return url.toString().replace(/\/+$/, '');
}

function originsFrom(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    let url: URL;
    try { url = new URL(o); } catch { throw new Error(`WEBAUTHN_ORIGINS must list absolute origins (https://host[:port]), got "${o}"`); }
    if (url.origin === 'null' || url.origin !== o.replace(/\/+$/, '')) {
      throw new Error(`WEBAUTHN_ORIGINS must list origins only (scheme, host, port; no path), got "${o}"`);
    }
    return url.origin;
  });
}

function userVerificationFrom(raw: string | undefined): Config['webauthnUserVerification'] {
  if (!raw) return 'preferred';
  if (raw !== 'required' && raw !== 'preferred' && raw !== 'discouraged') {
    throw new Error(`WEBAUTHN_USER_VERIFICATION must be required, preferred or discouraged, got "${raw.slice(0, 32)}"`);
  }
  return raw;
}

function syncFailureFrom(raw: string | undefined): 'issue' | 'fail' {
  if (!raw || raw === 'issue') return 'issue';
  if (raw === 'fail') return 'fail';
  throw new Error(`WEBHOOK_SYNC_FAILURE must be issue or fail, got "${raw.slice(0, 32)}"`);
}

export const DEFAULT_PASSWORD_RESET_URL = 'http://localhost:4000/login/reset-password';

/** An optional limit: unset or empty is none. */
function limitFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : intFrom(env, name, 0);
}

function regionFrom(raw: string | undefined): RegionName {
  if (!raw) return FALLBACK_REGION;
  if (!isRegion(raw)) throw new Error(`DEFAULT_REGION must be one of ${REGIONS.join(', ')}, got "${raw.slice(0, 64)}"`);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['silent', 'info', 'debug'].includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be silent, info or debug, got "${logLevel}"`);
  }
  const headersTimeoutMs = intFrom(env, 'HEADERS_TIMEOUT_MS', 10_000);
  const requestTimeoutMs = intFrom(env, 'REQUEST_TIMEOUT_MS', 300_000);
  if (headersTimeoutMs === 0) throw new Error('HEADERS_TIMEOUT_MS must be at least 1 (milliseconds)');
  if (requestTimeoutMs > 0 && requestTimeoutMs < headersTimeoutMs) {
    throw new Error(`REQUEST_TIMEOUT_MS (${requestTimeoutMs}) must be 0 or at least HEADERS_TIMEOUT_MS (${headersTimeoutMs})`);
  }
  return {
    port: intFrom(env, 'PORT', 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReplicaUrls: (env.DATABASE_REPLICA_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean),
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    embeddedPgPort: intFrom(env, 'EMBEDDED_PG_PORT', 54329),
    maxBodyBytes: intFrom(env, 'MAX_BODY_BYTES', 1024 * 1024),
    maxImportBytes: intFrom(env, 'MAX_IMPORT_BYTES', 50 * 1024 * 1024),
    defaultRegion: regionFrom(env.DEFAULT_REGION),
    logLevel: logLevel as Config['logLevel'],
    trustProxyHops: trustProxyFrom(env.TRUST_PROXY),
    countryHeader: env.COUNTRY_HEADER ? env.COUNTRY_HEADER.toLowerCase() : undefined,
    outboxPollMs: intFrom(env, 'OUTBOX_POLL_MS', 2000),
    idleMemoryTrimMs: intFrom(env, 'IDLE_MEMORY_TRIM_MS', 2000),
    passwordResetUrl: env.PASSWORD_RESET_URL || DEFAULT_PASSWORD_RESET_URL,
    publicUrl: publicUrlFrom(env.PUBLIC_URL),
    masterKey: env.IDGRAPH_MASTER_KEY || undefined,
    keyRotationOverlapSeconds: intFrom(env, 'KEY_ROTATION_OVERLAP_SECONDS', 86400),
    headersTimeoutMs,
    requestTimeoutMs,
    webauthnRpId: env.WEBAUTHN_RP_ID || undefined,
    webauthnOrigins: originsFrom(env.WEBAUTHN_ORIGINS),
    webauthnUserVerification: userVerificationFrom(env.WEBAUTHN_USER_VERIFICATION),
    webhookPollMs: intFrom(env, 'WEBHOOK_POLL_MS', 1000),
    webhookRetryBaseMs: intFrom(env, 'WEBHOOK_RETRY_BASE_MS', 5000),
    webhookMaxAttempts: Math.max(1, intFrom(env, 'WEBHOOK_MAX_ATTEMPTS', 12)),
    webhookAllowHttpLoopback: env.WEBHOOK_ALLOW_HTTP_LOOPBACK === '1' || env.WEBHOOK_ALLOW_HTTP_LOOPBACK === 'true',
    webhookCa: env.WEBHOOK_CA_FILE ? readFileSync(env.WEBHOOK_CA_FILE, 'utf8') : undefined,
    webhookSyncFailure: syncFailureFrom(env.WEBHOOK_SYNC_FAILURE),
    tierLimits: {
      maxPersons: limitFrom(env, 'TIER_MAX_PERSONS'),
      maxGroups: limitFrom(env, 'TIER_MAX_GROUPS'),
      maxSuborganizations: limitFrom(env, 'TIER_MAX_SUBORGANIZATIONS'),
    },
    ssoAllowHttpLoopback: env.SSO_ALLOW_HTTP_LOOPBACK === '1' || env.SSO_ALLOW_HTTP_LOOPBACK === 'true',
    ssoHttpTimeoutMs: Math.max(100, intFrom(env, 'SSO_HTTP_TIMEOUT_MS', 5000)),
  };
}
