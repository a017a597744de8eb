// Client authentication at the token, introspection and revocation endpoints: a confidential
// client proves itself with its secret (client_secret_basic or client_secret_post: the dialect
// reads either off the wire), a public client names itself only (`none`; PKCE is enforced by the
// code grant). The endpoint's own credential check, decided here for every face.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientCache } from './clients.queries.ts';
import { secretMatches } from './clients.service.ts';
import type { OAuthClient } from './oauth-client.entity.ts';
import { InvalidClient } from './oauth-errors.ts';
import { sha256Hex } from '../../crypto/secrets.ts';

/** What a request presents: the client id, and the secret unless the client claims to be public. */
export interface PresentedClient {
  clientId: string;
  /** Absent (null) for `none`; a string, possibly empty, for the secret methods. */
  secret?: string | null;
}

const DUMMY_HASH = sha256Hex('no such client');

/**
 * The authenticated client. `organizationId` restricts a tenant issuer to its own clients: another
 * organization's client is unknown there.
 */
export async function authenticateClient(
  em: EntityManager, clients: ClientCache, presented: PresentedClient, organizationId?: string,
): Promise<OAuthClient> {
  const client = presented.clientId ? await clients.find(em, presented.clientId) : null;
  const usable = client && (!organizationId || client.organization.id === organizationId);
  if (!usable || !client) {
    if (presented.secret) secretMatches({ secretHash: DUMMY_HASH } as OAuthClient, presented.secret); // same work either way
    throw new InvalidClient('Client authentication failed');
  }
  if (presented.secret == null) {
    if (!client.public) throw new InvalidClient('Client authentication failed');
    return client;
  }
  if (client.public || !presented.secret || !secretMatches(client, presented.secret)) {
    throw new InvalidClient('Client authentication failed');
  }
  return client;
}
