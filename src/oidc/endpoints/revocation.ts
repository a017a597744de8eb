// Token revocation (RFC 7009), run as `Mutation.revokeToken`: 200 with an empty body, also for a
// token the server does not know.
import { defineEndpoint } from '../endpoint.ts';
import { clientVariables } from '../client-credentials.ts';

export const revocation = defineEndpoint({
  kind: 'protocol', name: 'revocation', methods: ['POST'], cors: true, credentials: 'none',
  operation: /* GraphQL */ `
    mutation Revoke($tenantId: String, $client: OAuthClientAuthentication!, $token: String, $hint: String) {
      revokeToken(tenantId: $tenantId, client: $client, token: $token, tokenTypeHint: $hint)
    }`,
  variables: ({ ctx, params, tenantId }) => ({
    tenantId, client: clientVariables(ctx.get('authorization') || undefined, params), token: params.token,
    hint: params.token_type_hint,
  }),
  respond: () => ({ status: 200 }),
});
