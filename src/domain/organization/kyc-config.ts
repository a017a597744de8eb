// SlashID KYC configuration (endpoint table 1, rows 105–106): where mobile document capture
// sends users. Stored as set; an empty URL clears it. No KYC flow of this server reads it yet.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from './organization.entity.ts';
import { ValidationFailed } from '../errors.ts';

export const MAX_URL_LENGTH = 2000;

export const kycConfigOf = (org: Organization) => ({ mobileRedirectBaseUrl: org.kycConfig?.mobileRedirectBaseUrl ?? null });

function assertUrl(value: string) {
  let url: URL | undefined;
  try { url = new URL(value); } catch { url = undefined; }
  if (!url || !['https:', 'http:'].includes(url.protocol) || value.length > MAX_URL_LENGTH) {
    throw new ValidationFailed(`mobile_redirect_base_url must be an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters, or empty to clear it`);
  }
}

/** Applies a change: an absent field stays, an empty URL clears it. */
export async function updateKycConfig(em: EntityManager, org: Organization, change: { mobileRedirectBaseUrl?: string | null }) {
  const url = change.mobileRedirectBaseUrl;
  if (url != null && url !== '') assertUrl(url);
  if (url != null) org.kycConfig = url === '' ? {} : { ...(org.kycConfig ?? {}), mobileRedirectBaseUrl: url };
  await em.flush();
  return org;
}
