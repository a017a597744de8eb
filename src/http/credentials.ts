// Reads credentials from request headers for each auth scheme. Shared by REST and /graphql.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncomingHttpHeaders } from 'node:http';
import { authenticateApiKey, authenticateOrgKey, authenticateOrgKeyAlone } from '../domain/auth/authenticate.ts';
import { authenticateAccessToken, looksLikeAccessToken } from '../domain/auth/access-token.ts';
import { Unauthenticated } from '../domain/errors.ts';
import type { ClientInfo, Principal } from '../domain/principal.ts';
import { ANONYMOUS } from '../domain/auth/access-rule.ts';
import type { ApiKeyCache } from '../domain/organization/api-key-lookup.queries.ts';

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = header(headers, 'authorization');
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}

export function authenticateSlashId(em: EntityManager, headers: IncomingHttpHeaders, keys?: ApiKeyCache): Promise<Principal> {
  return authenticateOrgKey(em, header(headers, 'slashid-orgid'), header(headers, 'slashid-api-key'), keys);
}

export function authenticateSlashIdKey(em: EntityManager, headers: IncomingHttpHeaders): Promise<Principal> {
  return authenticateOrgKeyAlone(em, header(headers, 'slashid-api-key'), header(headers, 'slashid-orgid'));
}

export function authenticateVault(em: EntityManager, headers: IncomingHttpHeaders, client?: ClientInfo): Promise<Principal> {
  const apiKey = header(headers, 'x-api-key');
  if (apiKey) return authenticateApiKey(em, apiKey, 'org_api_key', client);
  const bearer = bearerToken(headers);
  if (bearer && looksLikeAccessToken(bearer)) return authenticateAccessToken(em, bearer, client);
  return authenticateApiKey(em, bearer, 'bearer', client);
}

/**
 * /graphql accepts any of the REST faces' credentials, or none (the anonymous principal, which the
 * gate admits to PUBLIC fields only). Credentials that are sent but do not match are refused,
 * never downgraded to anonymous.
 */
export function authenticateAny(
  em: EntityManager, headers: IncomingHttpHeaders, client?: ClientInfo, keys?: ApiKeyCache,
): Promise<Principal> {
  if (header(headers, 'slashid-api-key') || header(headers, 'slashid-orgid')) return authenticateSlashId(em, headers, keys);
  if (header(headers, 'x-api-key') || header(headers, 'authorization')) {
    if (!header(headers, 'x-api-key') && !bearerToken(headers)) {
      return Promise.reject(new Unauthenticated('Authorization must be "Bearer <API key or access token>"'));
    }
    return authenticateVault(em, headers, client);
  }
  return Promise.resolve(ANONYMOUS);
}
