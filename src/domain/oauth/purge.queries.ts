// Keeps the OAuth tables bounded: rows that can no longer matter (expired a day ago) are deleted.
// Revoked-but-unexpired tokens stay, so that revocation holds until expiry.
import type { EntityManager } from '@mikro-orm/postgresql';

export const PURGE_GRACE = `interval '1 day'`;

export async function purgeExpiredOAuthRows(em: EntityManager) {
  const counts: Record<string, number> = {};
  // saml_request rows go with their authorize_request (cascade); used SAML assertion ids once they expired.
  for (const table of ['oauth_token', 'authorize_request', 'session', 'user_token', 'sso_oidc_login', 'saml_assertion_use']) {
    const result = await em.execute(`delete from ${table} where expires_at < now() - ${PURGE_GRACE}`, [], 'run') as { affectedRows?: number };
    counts[table] = result.affectedRows ?? 0;
  }
  return counts;
}
