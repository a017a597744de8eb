// SlashID allowed origin domains (endpoint table 1, rows 77–79): exact names or `*` patterns (zero
// or more characters), matched case-insensitively against an Origin's host. They decide the CORS
// answer of a tenant's browser-facing OpenID endpoints (src/oidc/engine.ts): with none set any
// origin is answered, as before; with some, only a matching one.
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockOrganizationRow } from './api-key.queries.ts';
import { findByTenantId, findOrganization } from './organization.queries.ts';
import type { Organization } from './organization.entity.ts';
import { NotFound, PaymentRequired, ValidationFailed } from '../errors.ts';
import { matchesGlob } from '../glob.ts';

export const MAX_ALLOWED_DOMAINS = 100;
/**
 * A host name or a pattern of one (src/domain/glob.ts): labels of letters, digits and `-`, which may
 * hold `*`, `?` and character sets such as `[0-9]` (the reference's `a[0-9].my?site.org`); no label
 * starts or ends with `-`.
 */
const LABEL = '(?!-)(?:[a-z0-9*?-]|\\[!?[a-z0-9-]+\\])+(?<!-)';
export const DOMAIN_PATTERN = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*$`, 'i');

export const allowedDomainsOf = (org: Organization): string[] => org.allowedDomains ?? [];

function normalized(domains: readonly string[]): string[] {
  const out: string[] = [];
  for (const domain of domains) {
    if (!DOMAIN_PATTERN.test(domain)) {
      throw new ValidationFailed(`"${domain.slice(0, 80)}" is no domain or pattern: send a host name such as xyz.com or *.xyz.com (no scheme, port or path)`);
    }
    const lower = domain.toLowerCase();
    if (!out.includes(lower)) out.push(lower);
  }
  return out;
}

/** Adds the domains (or, with `overwrite`, sets them); one already listed changes nothing. */
export async function addAllowedDomains(em: EntityManager, organizationId: string, domains: readonly string[], overwrite: boolean) {
  const adding = normalized(domains);
  // Read-modify-write of one organization's list: parallel additions queue instead of losing each other.
  if (!(await lockOrganizationRow(em, organizationId))) throw new NotFound('Organization not found');
  const org = await findOrganization(em, organizationId);
  if (!org) throw new NotFound('Organization not found');
  const next = overwrite ? adding : [...allowedDomainsOf(org), ...adding.filter((d) => !allowedDomainsOf(org).includes(d))];
  if (next.length > MAX_ALLOWED_DOMAINS) {
    throw new PaymentRequired(`An organization lists at most ${MAX_ALLOWED_DOMAINS} allowed domains; remove some first`);
  }
  org.allowedDomains = next;
  await em.flush();
  return org;
}

/** Removes one domain (not listed: nothing happens) or, with `all`, every one; both or neither is a 400. */
export async function removeAllowedDomains(em: EntityManager, organizationId: string, domain: string | null | undefined, all: boolean | null | undefined) {
  if ((domain != null) === Boolean(all)) {
    throw new ValidationFailed('Send either domain (the one to remove) or deleteAll=true, not both');
  }
  if (!(await lockOrganizationRow(em, organizationId))) throw new NotFound('Organization not found');
  const org = await findOrganization(em, organizationId);
  if (!org) throw new NotFound('Organization not found');
  org.allowedDomains = all ? [] : allowedDomainsOf(org).filter((d) => d !== domain!.toLowerCase());
  await em.flush();
  return org;
}

/** True when the host matches a pattern (`*` is zero or more characters; case-insensitive). */
export const domainAllowed = (patterns: readonly string[], host: string): boolean => matchesGlob(patterns, host);

/**
 * The Access-Control-Allow-Origin a tenant's endpoint answers an Origin with: `*` when the tenant
 * lists no domains (or is unknown: the endpoint then answers 404 itself), the origin when its host
 * matches, else none.
 */
export async function corsOriginFor(em: EntityManager, tenantId: string, origin: string | undefined): Promise<string | undefined> {
  const org = await findByTenantId(em, tenantId);
  const patterns = org ? allowedDomainsOf(org) : [];
  if (patterns.length === 0) return '*';
  if (!origin) return undefined;
  let host: string;
  try { host = new URL(origin).hostname; } catch { return undefined; }
  return domainAllowed(patterns, host) ? origin : undefined;
}
