// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6): redeems the single-use code of an authorization
// request. A second redemption revokes what the first one got.
import crypto from 'node:crypto';
import { issueTokens, requireGrant } from '../tokens.service.ts';
import { consumeCode, findActivePerson, findRequestByCodeHash, revokeGrant } from '../oauth.queries.ts';
import { recordClientUse } from '../clients.queries.ts';
import { sha256Hex } from '../../../crypto/secrets.ts';
import { InvalidGrant, InvalidRequest } from '../oauth-errors.ts';
import { issueUnderSession, type GrantContext, type TokenRequestParameters } from './grant.ts';

export const grantType = 'authorization_code';

export const parameters = ['code', 'redirectUri', 'codeVerifier'] as const;

const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export async function handler(context: GrantContext, params: Pick<TokenRequestParameters, (typeof parameters)[number]>) {
  const { em, keys, client, issuer } = context;
  requireGrant(client, grantType);
  if (!params.code) throw new InvalidRequest('code is required');
  if (!params.redirectUri) throw new InvalidRequest('redirect_uri is required');
  const request = await findRequestByCodeHash(em, sha256Hex(params.code));
  if (!request || request.client.id !== client.id || request.issuer !== issuer || !request.person) {
    throw new InvalidGrant('The authorization code is invalid');
  }
  if (!(await consumeCode(em, request.id))) {
    // A second redemption: someone has the code who should not. Revoke what the first one got.
    if (request.grantId) await revokeGrant(em, request.grantId);
    throw new InvalidGrant('The authorization code was already used; the tokens issued with it are revoked');
  }
  if (!request.codeExpiresAt || request.codeExpiresAt.getTime() < Date.now()) throw new InvalidGrant('The authorization code expired');
  if (params.redirectUri !== request.params.redirectUri) throw new InvalidGrant('redirect_uri differs from the authorization request');
  if (!params.codeVerifier) throw new InvalidGrant('code_verifier is required (PKCE)');
  if (!PKCE_VERIFIER.test(params.codeVerifier)) throw new InvalidGrant('code_verifier must be 43 to 128 unreserved characters');
  const challenge = crypto.createHash('sha256').update(params.codeVerifier).digest('base64url');
  const expected = Buffer.from(request.params.codeChallenge);
  const actual = Buffer.from(challenge);
  if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) {
    throw new InvalidGrant('code_verifier does not match the code_challenge');
  }
  const person = await findActivePerson(em, request.person.id);
  if (!person) throw new InvalidGrant('The person is no longer active');
  const scope = request.params.scope;
  await issueUnderSession(context, request.sessionId ?? null, async () => undefined);
  await recordClientUse(em, client.id);
  return issueTokens(em, keys, {
    client, issuer, scope, grantId: request.grantId!, person, authTime: request.authTime, nonce: request.params.nonce,
    sid: request.sessionId, authentication: request.authentication, refresh: scope.includes('offline_access') || client.grantTypes.includes('refresh_token'),
  });
}
