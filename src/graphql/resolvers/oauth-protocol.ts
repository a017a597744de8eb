// The OAuth protocol's operations (schema/oauth-protocol.graphql): each hands its arguments to the
// domain, which authenticates the client (or the access token) and decides.
import type { Resolvers } from '../generated/types.ts';
import { requestTokens } from '../../domain/oauth/grants/index.ts';
import { introspectToken, revokeToken } from '../../domain/oauth/token-introspection.service.ts';
import { userinfo } from '../../domain/oauth/userinfo.service.ts';
import type { PresentedClient } from '../../domain/oauth/client-auth.ts';

const presented = (client: { clientId: string; clientSecret?: string | null }): PresentedClient =>
  ({ clientId: client.clientId, secret: client.clientSecret });

export const oauthProtocolResolvers: Resolvers = {
  Query: {
    introspectToken: (_, { tenantId, client, token }, { em, services }) =>
      introspectToken(em, services, { tenantId, client: presented(client), token }),
    userinfo: (_, { tenantId, accessToken }, { em, services }) => userinfo(em, services, { tenantId, accessToken }),
  },
  Mutation: {
    oauthToken: (_, { tenantId, client, input }, { em, services, client: requester }) =>
      requestTokens(em, services, requester, { tenantId, client: presented(client), request: input }),
    revokeToken: (_, { tenantId, client, token }, { em, services }) =>
      revokeToken(em, services, { tenantId, client: presented(client), token }),
  },
};
