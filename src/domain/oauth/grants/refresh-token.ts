// RFC 6749 §6: a refresh token is used once and rotated; a replay revokes its whole grant, and so
// does a person who left. The scope may only narrow; how the person signed in carries over.
import { issueTokens, parseScope } from '../tokens.service.ts';
import { findActivePerson, markTokenUsed, revokeGrant, selectTokenByHash } from '../oauth.queries.ts';
import { sha256Hex } from '../../../crypto/secrets.ts';
import { InvalidGrant, InvalidRequest, InvalidScope } from '../oauth-errors.ts';
import { issueUnderSession, type GrantContext, type TokenRequestParameters } from './grant.ts';

export const grantType = 'refresh_token';

export const parameters = ['refreshToken', 'scope'] as const;

export async function handler(context: GrantContext, params: Pick<TokenRequestParameters, (typeof parameters)[number]>) {
  const { em, keys, client, issuer } = context;
  if (!params.refreshToken) throw new InvalidRequest('refresh_token is required');
  const hash = sha256Hex(params.refreshToken);
  const row = await selectTokenByHash(em, hash);
  if (!row || row.kind !== 'refresh' || row.client_id !== client.id || row.issuer !== issuer || !row.person_id) {
    throw new InvalidGrant('The refresh token is invalid');
  }
  if (row.revoked_at) throw new InvalidGrant('The refresh token was revoked');
  if (!(await markTokenUsed(em, hash))) {
    await revokeGrant(em, row.grant_id);
    throw new InvalidGrant('The refresh token was already used; every token of its grant is revoked');
  }
  if (row.expires_at.getTime() < Date.now()) throw new InvalidGrant('The refresh token expired');
  const granted = row.scope.split(' ').filter(Boolean);
  const scope = params.scope != null ? parseScope(params.scope) : granted;
  const extra = scope.filter((s) => !granted.includes(s));
  if (extra.length) throw new InvalidScope(`Not granted originally: ${extra.join(' ')}`);
  const person = await findActivePerson(em, row.person_id);
  if (!person) {
    await revokeGrant(em, row.grant_id);
    throw new InvalidGrant('The person is no longer active');
  }
  await issueUnderSession(context, row.sid, () => revokeGrant(em, row.grant_id));
  return issueTokens(em, keys, {
    client, issuer, scope, grantId: row.grant_id, person, authTime: row.auth_time, sid: row.sid, refresh: true,
    // The sign-in the grant began with still describes these tokens (authenticated_methods, authentications).
    authentication: row.authentication,
  });
}
