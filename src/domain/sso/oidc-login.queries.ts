// Brokered OIDC sign-ins under way (sso_oidc_login) and the upstream tokens they left (sso_oidc_token).
import type { EntityManager } from '@mikro-orm/postgresql';
import { SsoOidcLogin } from './oidc-login.entity.ts';
import { SsoOidcToken, type OidcTokenType } from './oidc-token.entity.ts';

export function findOidcLogin(em: EntityManager, stateHash: string) {
  return em.findOne(SsoOidcLogin, { stateHash });
}

/** Spends the sign-in once: true for the first caller while it is live, false for every other. */
export async function spendOidcLogin(em: EntityManager, stateHash: string): Promise<boolean> {
  const rows = await em.execute<{ state_hash: string }[]>(
    `update sso_oidc_login set used_at = now() where state_hash = ? and used_at is null and expires_at > now() returning state_hash`,
    [stateHash]);
  return rows.length === 1;
}

export interface TokenFilter {
  organizationId: string;
  personId: string;
  authenticationIds?: readonly string[];
  tokenTypes?: readonly OidcTokenType[];
}

const where = (f: TokenFilter) => ({
  organization: f.organizationId, person: f.personId,
  ...(f.authenticationIds?.length ? { authenticationId: { $in: [...f.authenticationIds] } } : {}),
  ...(f.tokenTypes?.length ? { tokenType: { $in: [...f.tokenTypes] } } : {}),
});

export function findSsoOidcTokens(em: EntityManager, filter: TokenFilter) {
  return em.find(SsoOidcToken, where(filter), { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 500 });
}

export async function deleteSsoOidcTokens(em: EntityManager, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  return em.nativeDelete(SsoOidcToken, { id: { $in: [...ids] } });
}

export function findSsoOidcTokensOfCredential(em: EntityManager, organizationId: string, credentialId: string, tokenType: OidcTokenType) {
  return em.find(SsoOidcToken, { organization: organizationId, credentialId, tokenType }, { limit: 1000 });
}
