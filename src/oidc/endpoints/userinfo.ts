// The userinfo endpoint (OIDC Core §5.3), run as `Query.userinfo`: the access token comes as
// `Authorization: Bearer`, or as `access_token` in a form post (RFC 6750 §2.2). Claims the scopes
// do not release stay off the wire.
import type { Context } from 'koa';
import { defineEndpoint, epochSeconds, present } from '../endpoint.ts';
import { bearerOf, readForm } from '../http.ts';

/** The form is read only when it can carry the token: a POST without a Bearer header. */
const readParams = (ctx: Context) =>
  (!bearerOf(ctx) && ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded') ? readForm(ctx) : {});

export const userinfo = defineEndpoint({
  kind: 'protocol', name: 'userinfo', methods: ['GET', 'POST'], cors: true, credentials: 'none',
  readParams,
  operation: /* GraphQL */ `
    query Userinfo($tenantId: String, $accessToken: String) {
      userinfo(tenantId: $tenantId, accessToken: $accessToken) {
        sub: subject iss: issuer aud: audience org_id: organizationId
        email email_verified: emailVerified phone_number: phoneNumber phone_number_verified: phoneNumberVerified
        username preferred_username: username locale updated_at: updatedAt
      }
    }`,
  variables: ({ ctx, params, tenantId }) => ({ tenantId, accessToken: bearerOf(ctx) ?? params.access_token }),
  respond: ({ userinfo: claims }) => ({ body: present({ ...claims, updated_at: epochSeconds(claims.updated_at) }) }),
});
