// GET /user/me, the Secrets Vault alias of "who am I": the person of a Bearer access token,
// run as `Query.me` (the gate admits the token's person), answered as a vault user with the
// vault's `{detail}` errors.
import { vault } from '../../rest/dialects/vault.ts';
import { USER, toUser } from '../../rest/routes/vault/tenants.users.ts';
import { defineEndpoint } from '../endpoint.ts';

export const currentUser = defineEndpoint({
  kind: 'protocol', name: 'currentUser', methods: ['GET'], cors: true, credentials: 'access_token', dialect: vault,
  operation: /* GraphQL */ `query CurrentUser { me { ...User } } ${USER}`,
  readParams: () => ({}),
  variables: () => ({}),
  respond: (data) => ({ body: toUser(data.me) }),
});
