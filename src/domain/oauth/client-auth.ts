// Client authentication at the token, introspection and revocation endpoints:
// client_secret_basic, client_secret_post, and none (public clients, PKCE enforced elsewhere).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientCache } from './clients.queries.ts';
import { secretMatches } from './clients.service.ts';
import type { OAuthClient } from './oauth-client.entity.ts';
import { InvalidClient, InvalidRequest } from '../../oidc/errors.ts';
import { sha256Hex } from '../../crypto/secrets.ts';

export interface PresentedClient {
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
  clientId: string;
  secret?: string;
}

/** Reads the client's credentials from an Authorization: Basic header and the form. */
export function presentedClient(authorization: string | undefined, form: Record<string, string | undefined>): PresentedClient {
  const basic = authorization ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization) : null;
  if (authorization && !basic) throw new InvalidClient('Authenticate the client with HTTP Basic, client_secret_post, or client_id alone for public clients');
  if (basic) {
    if (form.client_secret !== undefined) throw new InvalidRequest('Use one client authentication method, not both Basic and client_secret');
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidClient('The Basic credentials must be client_id:client_secret');
    let clientId: string, secret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new InvalidClient('The Basic credentials are not form-encoded');
    }
    if (form.client_id !== undefined && form.client_id !== clientId) throw new InvalidRequest('client_id differs from the authenticated client');
    return { method: 'client_secret_basic', clientId, secret };
  }
  if (!form.client_id) throw new InvalidClient('Client authentication is required: HTTP Basic, client_secret_post, or client_id for public clients');
  if (form.client_secret !== undefined) return { method: 'client_secret_post', clientId: form.client_id, secret: form.client_secret };
  return { method: 'none', clientId: form.client_id };
}

const DUMMY_HASH = sha256Hex('no such client');

/**
 * The authenticated client. `organizationId` restricts a tenant issuer to its own clients: another
 * organization's client is unknown there.
 */
export async function authenticateClient(
  em: EntityManager, clients: ClientCache, presented: PresentedClient, organizationId?: string,
): Promise<OAuthClient> {
  const client = await clients.find(em, presented.clientId);
  const usable = client && (!organizationId || client.organization.id === organizationId);
  if (!usable || !client) {
    if (presented.secret) secretMatches({ secretHash: DUMMY_HASH } as OAuthClient, presented.secret); // same work either way
    throw new InvalidClient('Client authentication failed');
  }
  if (presented.method === 'none') {
    if (!client.public) throw new InvalidClient('Client authentication failed');
    return client;
  }
  if (client.public || !presented.secret || !secretMatches(client, presented.secret)) {
    throw new InvalidClient('Client authentication failed');
  }
  return client;
}
