// The token endpoint (RFC 6749 §3.2): authenticate the client at its issuer, then run the grant
// grant_type names, with only the parameters that grant declares. A grant is added by writing its
// module and listing it here.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../../services.ts';
import type { ClientInfo } from '../../principal.ts';
import { authenticateClient, type PresentedClient } from '../client-auth.ts';
import { resolveIssuer } from '../issuer.ts';
import { InvalidRequest, UnsupportedGrantType } from '../oauth-errors.ts';
import type { IssuedTokens } from '../tokens.service.ts';
import type { Grant, TokenRequestParameters } from './grant.ts';
import * as authorizationCode from './authorization-code.ts';
import * as clientCredentials from './client-credentials.ts';
import * as refreshToken from './refresh-token.ts';

const GRANTS: ReadonlyMap<string, Grant> = new Map(
  [authorizationCode, clientCredentials, refreshToken].map((grant): [string, Grant] => [grant.grantType, grant]),
);

/** The grant types this server supports, for the discovery document. */
export const GRANT_TYPES = [...GRANTS.keys()];

export interface TokenRequest extends TokenRequestParameters {
  grantType?: string | null;
}

/**
 * Answers a token request made to the issuer of `tenantId` (the root issuer when null) by the
 * client `presented`; `requester` is where the request came from.
 */
export async function requestTokens(
  em: EntityManager, services: AppServices, requester: ClientInfo,
  input: { tenantId?: string | null; client: PresentedClient; request: TokenRequest },
): Promise<IssuedTokens> {
  const issuer = await resolveIssuer(em, services.publicUrl(), input.tenantId);
  const client = await authenticateClient(em, services.clients, input.client, issuer.organizationId);
  const { grantType, ...given } = input.request;
  if (grantType == null) throw new InvalidRequest('grant_type is required');
  const grant = GRANTS.get(grantType);
  if (!grant) throw new UnsupportedGrantType(`grant_type must be ${GRANT_TYPES.join(', ')}`);
  const parameters: Partial<TokenRequestParameters> = {};
  for (const name of grant.parameters) parameters[name] = given[name];
  return grant.handler({ em, keys: services.keys, client, issuer: issuer.endpoints.issuer, requester }, parameters);
}
