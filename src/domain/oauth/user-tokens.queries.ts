// Data access for SlashID user tokens (their jti rows). Rules live in user-tokens.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UserToken } from './user-token.entity.ts';

export async function insertUserToken(em: EntityManager, row: {
  jti: string; organizationId: string; personId: string; issuedAt: Date; expiresAt: Date;
}): Promise<void> {
  em.create(UserToken, { jti: row.jti, organization: row.organizationId, person: row.personId, issuedAt: row.issuedAt, expiresAt: row.expiresAt });
  await em.flush();
}

export function findUserToken(em: EntityManager, jti: string): Promise<UserToken | null> {
  return em.findOne(UserToken, { jti });
}

export async function revokeUserTokenByJti(em: EntityManager, jti: string): Promise<void> {
  await em.nativeUpdate(UserToken, { jti, revokedAt: null }, { revokedAt: new Date() });
}
