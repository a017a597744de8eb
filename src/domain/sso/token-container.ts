// A token container (GET /sso/oidc/tokens, `SlashID-Token`) counts only while the token store
// would still honour it, by the rules introspection and token validation use: an access token of
// ours by its row (revoked, expired: refused, as `isActiveToken` decides), a SlashID user token by
// its jti row (revoked: refused); an ID token has no row of its own, so it is refused when every
// token of the grant it came with (found by its SSO authentication ids) was revoked.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sha256Hex } from '../../crypto/secrets.ts';
import { Unauthenticated } from '../errors.ts';
import { findTokenByHash } from '../oauth/token-write-behind.ts';
import { isActiveToken, MAX_TOKEN_LENGTH } from '../oauth/token-introspection.service.ts';
import { findUserToken } from '../oauth/user-tokens.queries.ts';
import { countGrantTokensOfAuthentications } from './token-container.queries.ts';

const revoked = () => new Unauthenticated('The SlashID-Token was revoked');

export async function assertContainerNotRevoked(em: EntityManager, container: string, claims: Record<string, unknown>,
  personId: string, authenticationIds: readonly string[]) {
  const row = container.length <= MAX_TOKEN_LENGTH ? await findTokenByHash(em, sha256Hex(container)) : undefined;
  if (row) {
    if (!isActiveToken(row)) throw revoked();
    return;
  }
  if (typeof claims.jti === 'string' && claims.jti.length <= 255) {
    const userToken = await findUserToken(em, claims.jti);
    if (userToken?.revokedAt) throw revoked();
    if (userToken) return;
  }
  const { total, live } = await countGrantTokensOfAuthentications(em, personId, authenticationIds);
  if (total > 0 && live === 0) throw revoked();
}
