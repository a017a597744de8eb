// GET /organizations/webhooks/verification-jwks: the public keys of webhook JWTs, rate-limited as the
// reference documents (30 requests a minute per organization, bursts of 60), per server process.
import { RateLimited, ValidationFailed } from '../errors.ts';
import type { WebhookRuntime } from './runtime.ts';

const PER_MINUTE = 30;
const BURST = 60;
const buckets = new Map<string, { tokens: number; at: number }>();

function take(key: string, now = Date.now()): number {
  if (buckets.size > 10_000) buckets.clear(); // many keys: forget them rather than grow
  const bucket = buckets.get(key) ?? { tokens: BURST, at: now };
  bucket.tokens = Math.min(BURST, bucket.tokens + ((now - bucket.at) / 60_000) * PER_MINUTE);
  bucket.at = now;
  buckets.set(key, bucket);
  if (bucket.tokens < 1) return Math.ceil(((1 - bucket.tokens) * 60_000) / PER_MINUTE / 1000);
  bucket.tokens -= 1;
  return 0;
}

/** The JWKS; the rate limit counts per organization id the caller names (SlashID-OrgID). */
export async function webhookVerificationJwks(runtime: WebhookRuntime, organizationId: string) {
  if (!organizationId || organizationId.length > 64) {
    throw new ValidationFailed('The organization id (header SlashID-OrgID) is required, at most 64 characters',
      [{ loc: ['header', 'SlashID-OrgID'], msg: 'required', type: 'value_error.missing' }]);
  }
  const retryAfter = take(organizationId);
  if (retryAfter) throw new RateLimited('At most 30 requests a minute (bursts of 60) per organization: cache the keys', retryAfter);
  return runtime.signer.jwks();
}
