// Secrets Vault brute-force blocks (endpoint table 2, rows 37, 38) and, proposed here, lifting
// one: DELETE /tenants/{tenant_id}/blocked-ips/{ip} and /blocked-users/{user_id} (204).
import { defineRoute } from '../../route.ts';
import { vault } from '../../dialects/vault.ts';
import { blockPageQuery, tenantIdPath, userIdPath } from '../../schemas/vault.ts';

const common = { dialect: vault, auth: 'vault_api_key' as const };

const pageVariables = (path: Record<string, string>, query: Record<string, any>) => ({
  tenantId: path.tenant_id, first: query.page_size, offset: query.page * query.page_size,
  direction: query.sort_direction === 1 ? 'ASC' : 'DESC',
});

const OPERATION = (kind: 'IP' | 'USER', selection: string) => /* GraphQL */ `
  query Blocks${kind}($tenantId: String!, $first: Int!, $offset: Int!, $direction: SortDirection!) {
    organization(select: { tenantId: $tenantId }) {
      tenantId
      loginBlocks(kind: ${kind}, first: $first, offset: $offset, direction: $direction) {
        totalCount pageInfo { hasNextPage } nodes { blockedAt blockSeconds ${selection} }
      }
    }
  }`;

const listOf = (data: any, item: (node: any, tenantId: string) => Record<string, unknown>) => {
  const page = data.organization.loginBlocks;
  return {
    body: {
      data: page.nodes.map((n: any) => ({
        ...item(n, data.organization.tenantId), tenant_id: data.organization.tenantId,
        blocked_at: n.blockedAt, block_time_seconds: n.blockSeconds,
      })),
      has_next: page.pageInfo.hasNextPage,
      total_count: page.totalCount,
    },
  };
};

const listSchema = (item: Record<string, unknown>) => ({
  type: 'object',
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...item, tenant_id: { type: 'string' }, blocked_at: { type: 'string' }, block_time_seconds: { type: 'integer' } },
      },
    },
    has_next: { type: 'boolean' }, total_count: { type: 'integer' },
  },
});

export const blockedIps = defineRoute({
  ...common,
  method: 'GET', path: '/tenants/{tenant_id}/blocked-ips', operationId: 'blocked_ips', summary: 'Blocked Ips',
  parameters: [tenantIdPath, ...blockPageQuery],
  operation: OPERATION('IP', 'subject'),
  variables: ({ path, query }) => pageVariables(path, query),
  respond: (data) => listOf(data, (n) => ({ ip: n.subject })),
  status: 200,
  responseSchema: listSchema({ ip: { type: 'string' } }),
  errorStatuses: [401, 403, 404, 422],
});

export const blockedUsers = defineRoute({
  ...common,
  method: 'GET', path: '/tenants/{tenant_id}/blocked-users', operationId: 'block_users', summary: 'Block Users',
  parameters: [tenantIdPath, ...blockPageQuery],
  operation: OPERATION('USER', 'person { id username email }'),
  variables: ({ path, query }) => pageVariables(path, query),
  respond: (data) => listOf(data, (n) => ({ user_id: n.person.id, username: n.person.username, email: n.person.email })),
  status: 200,
  responseSchema: listSchema({
    user_id: { type: 'string' },
    username: { anyOf: [{ type: 'string' }, { type: 'null' }] }, email: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  }),
  errorStatuses: [401, 403, 404, 422],
});

export const liftIpBlock = defineRoute({
  ...common,
  method: 'DELETE', path: '/tenants/{tenant_id}/blocked-ips/{ip}', operationId: 'lift_ip_block',
  summary: 'Lift an IP block (proposed)',
  parameters: [tenantIdPath, { name: 'ip', in: 'path', required: true, schema: { type: 'string', maxLength: 64 } }],
  operation: /* GraphQL */ `
    mutation LiftIp($tenantId: String!, $ip: String!) { liftIpBlock(org: { tenantId: $tenantId }, ip: $ip) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id, ip: path.ip }),
  respond: () => ({}),
  status: 204,
  errorStatuses: [401, 403, 404, 422],
});

export const liftUserBlock = defineRoute({
  ...common,
  method: 'DELETE', path: '/tenants/{tenant_id}/blocked-users/{user_id}', operationId: 'lift_user_block',
  summary: 'Lift a user block (proposed)',
  parameters: [tenantIdPath, userIdPath],
  operation: /* GraphQL */ `
    mutation LiftUser($tenantId: String!, $id: ID!) { liftUserBlock(org: { tenantId: $tenantId }, personId: $id) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id, id: path.user_id }),
  respond: () => ({}),
  status: 204,
  errorStatuses: [401, 403, 404, 422],
});
