// What the token store says of a token container presented to GET /sso/oidc/tokens (is it, or
// the grant it came from, revoked). Rules live in token-container.ts.
import type { EntityManager } from '@mikro-orm/postgresql';

/** The tokens issued for these SSO authentications of the person: how many, and how many not revoked. */
export async function countGrantTokensOfAuthentications(em: EntityManager, personId: string, authenticationIds: readonly string[]) {
  if (!authenticationIds.length) return { total: 0, live: 0 };
  const [row] = await em.execute<{ total: number; live: number }[]>(
    `select count(*)::int as total, (count(*) filter (where revoked_at is null))::int as live from oauth_token
     where person_id = ?::uuid and authentication is not null and authentication->>'id' in (${authenticationIds.map(() => '?').join(', ')})`,
    [personId, ...authenticationIds]);
  return row ?? { total: 0, live: 0 };
}
