// RFC 6749 §4.4: a confidential client asks for tokens on its own behalf (no person, no refresh
// token, no ID token).
import crypto from 'node:crypto';
import { assertAllowedScopes, issueTokens, parseScope, requireGrant } from '../tokens.service.ts';
import { InvalidScope, UnauthorizedClient } from '../oauth-errors.ts';
import type { GrantContext, TokenRequestParameters } from './grant.ts';

export const grantType = 'client_credentials';

export const parameters = ['scope'] as const;

export async function handler({ em, keys, client, issuer }: GrantContext, { scope: rawScope }: Pick<TokenRequestParameters, 'scope'>) {
  requireGrant(client, grantType);
  if (client.public) throw new UnauthorizedClient('A public client cannot use client_credentials');
  const requested = parseScope(rawScope);
  const scope = rawScope == null ? client.scopes.filter((s) => s !== 'openid' && s !== 'offline_access') : requested;
  if (scope.includes('openid') || scope.includes('offline_access')) throw new InvalidScope('openid and offline_access need a person: use the authorization code flow');
  assertAllowedScopes(client, scope);
  return issueTokens(em, keys, { client, issuer, scope, grantId: crypto.randomUUID(), refresh: false });
}
