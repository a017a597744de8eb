// An access token our OIDC provider issued to a person, presented as `Authorization: Bearer` to
// the Secrets Vault face: it acts as that person, in its organization, within the vault scopes
// its OIDC scopes map to (vaultScopesOf). Looked up by the SHA-256 of the whole token, so a
// tampered, revoked or expired token matches nothing usable.
import type { EntityManager } from '@mikro-orm/postgresql';
import { findTokenByHash } from '../oauth/token-write-behind.ts';
import { findActivePerson } from '../person/person.queries.ts';
import { touchSession } from '../session/session.service.ts';
import { Unauthenticated } from '../errors.ts';
import type { ClientInfo, Principal } from '../principal.ts';
import { UNKNOWN_CLIENT } from '../principal.ts';
import { vaultScopesOf } from './scopes.ts';
import { sha256Hex } from '../../crypto/secrets.ts';

const MAX_TOKEN_LENGTH = 8192;

/** Our access tokens are JWTs (three dot-separated parts); API keys never contain a dot. */
export const looksLikeAccessToken = (value: string) => value.split('.').length === 3;

export async function authenticateAccessToken(
  em: EntityManager, token: string, client: ClientInfo = UNKNOWN_CLIENT,
): Promise<Principal> {
  const invalid = new Unauthenticated('The access token is not valid, expired or revoked');
  if (token.length > MAX_TOKEN_LENGTH) throw invalid;
  const row = await findTokenByHash(em, sha256Hex(token));
  if (!row || row.kind !== 'access' || row.revoked_at || row.expires_at.getTime() <= Date.now()) throw invalid;
  // A client_credentials token speaks for a client, not for a person: it is no vault credential.
  if (!row.person_id) throw new Unauthenticated('This access token was issued to a client, not to a person');
  const person = await findActivePerson(em, row.organization_id, row.person_id);
  if (!person) throw invalid;
  if (row.sid) await touchSession(em, row.sid, client);
  return {
    organizationId: row.organization_id, personId: person.id, method: 'access_token', clientId: row.wire_client_id,
    scopes: vaultScopesOf(row.scope.split(' ').filter(Boolean)),
    ...(row.sid ? { sessionId: row.sid } : {}),
  };
}
