// Secrets Vault /user/me/sessions (endpoint table 2, row 6), for a per-user API key or a user's
// access token, and, proposed here, ending one session (which revokes the tokens issued under it).
import { defineRoute } from '../../route.ts';
import { stringPath } from '../../parameters.ts';
import { vault } from '../../dialects/vault.ts';
import { accessPointSchema } from '../../schemas/vault.ts';
import { ACCESS } from './api-keys.ts';

const sessionSchema = {
  type: 'object',
  properties: {
    session_id: { type: 'string' }, user_id: { type: 'string' }, tenant_id: { type: 'string' },
    created: accessPointSchema, expires_at: { type: 'string' },
    token_issue: { anyOf: [accessPointSchema, { type: 'null' }] }, last_access: { anyOf: [accessPointSchema, { type: 'null' }] },
  },
};

export const mySessions = defineRoute(vault, {
  method: 'GET', path: '/user/me/sessions', operationId: 'list_my_sessions', summary: 'List my sessions',
  operation: /* GraphQL */ `
    query MySessions {
      me {
        id organization { tenantId }
        sessions {
          session_id: id created { ...Access } expires_at: expiresAt
          token_issue: tokenIssue { ...Access } last_access: lastAccess { ...Access }
        }
      }
    } ${ACCESS}`,
  respond: ({ me }) => ({
    body: {
      sessions: me.sessions.map(({ session_id, ...rest }) => ({ session_id, user_id: me.id, tenant_id: me.organization.tenantId, ...rest })),
      total: me.sessions.length,
    },
  }),
  responseSchema: { type: 'object', properties: { sessions: { type: 'array', items: sessionSchema }, total: { type: 'integer' } } },
  errorStatuses: [401, 403],
});

export const endMySession = defineRoute(vault, {
  method: 'DELETE', path: '/user/me/sessions/{session_id}', operationId: 'end_my_session',
  summary: 'End one of my sessions (proposed)',
  parameters: [stringPath('session_id', 64)],
  operation: /* GraphQL */ `mutation EndMySession($id: ID!) { endMySession(id: $id) }`,
  variables: ({ path }) => ({ id: path.session_id }),
  errorStatuses: [401, 403, 404, 422],
});
