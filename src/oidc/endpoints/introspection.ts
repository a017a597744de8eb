// Token introspection (RFC 7662) for an authenticated confidential client, run as
// `Query.introspectToken`. Times go on the wire as seconds since the epoch.
import { defineEndpoint, epochSeconds, present } from '../endpoint.ts';
import { clientVariables } from '../client-credentials.ts';

export const introspection = defineEndpoint({
  kind: 'protocol', name: 'introspection', methods: ['POST'], credentials: 'none',
  operation: /* GraphQL */ `
    query Introspect($tenantId: String, $client: OAuthClientAuthentication!, $token: String) {
      introspectToken(tenantId: $tenantId, client: $client, token: $token) {
        active client_id: clientId scope sub: subject iss: issuer aud: audience exp: expiresAt iat: issuedAt
        token_type: tokenType
      }
    }`,
  variables: ({ ctx, params, tenantId }) => ({
    tenantId, client: clientVariables(ctx.get('authorization') || undefined, params), token: params.token,
  }),
  respond: ({ introspectToken: t }) => ({ body: present({ ...t, exp: epochSeconds(t.exp), iat: epochSeconds(t.iat) }) }),
});
