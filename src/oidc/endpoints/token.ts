// The token endpoint (RFC 6749 §3.2): a form post with the client's credentials (HTTP Basic or
// the form), run as `Mutation.oauthToken`; the domain authenticates the client and runs the grant
// (src/domain/oauth/grants/). The answer is the raw token response.
import { defineEndpoint, present } from '../endpoint.ts';
import { clientVariables } from '../client-credentials.ts';
import { ISSUER_LAYOUT } from '../../domain/oauth/endpoints.ts';

export const token = defineEndpoint({
  kind: 'protocol', name: 'token', methods: ['POST'], cors: true, credentials: 'none',
  operation: /* GraphQL */ `
    mutation Token($tenantId: String, $client: OAuthClientAuthentication!, $input: OAuthTokenRequest!) {
      oauthToken(tenantId: $tenantId, client: $client, input: $input) {
        access_token: accessToken token_type: tokenType expires_in: expiresIn scope
        refresh_token: refreshToken id_token: idToken
      }
    }`,
  variables: ({ ctx, params, tenantId }) => ({
    tenantId,
    client: clientVariables(ctx.get('authorization') || undefined, params),
    input: {
      grantType: params.grant_type, code: params.code, redirectUri: params.redirect_uri, codeVerifier: params.code_verifier,
      refreshToken: params.refresh_token, scope: params.scope,
    },
  }),
  // SlashID's reference spells the type `bearer` (OAuth2AuthTokenType); RFC 6749 compares it
  // case-insensitively, and the Keycloak-style and vault mounts keep Keycloak's `Bearer`.
  respond: (data, { ctx }) => ({
    body: { ...present(data.oauthToken), ...(ctx.path === ISSUER_LAYOUT.token.root ? { token_type: 'bearer' } : {}) },
  }),
});
