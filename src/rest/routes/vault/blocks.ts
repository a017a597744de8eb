// Secrets Vault brute-force blocks (endpoint table 2, rows 37, 38) and, proposed here, lifting
// one: DELETE /tenants/{tenant_id}/blocked-ips/{ip} and /blocked-users/{user_id} (204).
import { defineRoute, type RouteInput } from '../../route.ts';
import { stringPath } from '../../parameters.ts';
import { vault } from '../../dialects/vault.ts';
import { blockPageQuery, tenantIdPath, tenantUserOf, userIdPath } from '../../schemas/vault.ts';

/** A page of one tenant's blocks: its parameters, and the variables they give. */
const blockPage = {
  parameters: [tenantIdPath, ...blockPageQuery],
  variables: ({ path, query }: RouteInput) => ({
    tenantId: path.tenant_id, first: query.page_size, offset: query.page * query.page_size,
    direction: query.sort_direction === 1 ? 'ASC' as const : 'DESC' as const,
  }),
};

interface BlockPage<Node> { total_count: number; pageInfo: { has_next: boolean }; nodes: Node[] }
interface BlockTimes { blocked_at: string; block_time_seconds: number }

/** The reference lists each block as what is blocked, then its tenant, then its times. */
const listOf = <Node extends BlockTimes>(tenant_id: string, page: BlockPage<Node>, subject: (node: Node) => object) => ({
  body: {
    data: page.nodes.map((n) => ({ ...subject(n), tenant_id, blocked_at: n.blocked_at, block_time_seconds: n.block_time_seconds })),
    has_next: page.pageInfo.has_next,
    total_count: page.total_count,
  },
});

/** What both lists select of a page of blocks; each adds what is blocked. */
const BLOCK_PAGE = /* GraphQL */ `
  fragment BlockPage on LoginBlockConnection {
    total_count: totalCount pageInfo { has_next: hasNextPage } nodes { blocked_at: blockedAt block_time_seconds: blockSeconds }
  }`;

/** A list of one tenant's blocks whose items show `subject` (the schema of what is blocked). */
const blockList = (subject: Record<string, unknown>) => ({
  ...blockPage,
  responseSchema: {
    type: 'object',
    properties: {
      data: {
        type: 'array',
        items: {
          type: 'object',
          properties: { ...subject, tenant_id: { type: 'string' }, blocked_at: { type: 'string' }, block_time_seconds: { type: 'integer' } },
        },
      },
      has_next: { type: 'boolean' }, total_count: { type: 'integer' },
    },
  },
  errorStatuses: [401, 403, 404, 422],
});

export const blockedIps = defineRoute(vault, {
  method: 'GET', path: '/tenants/{tenant_id}/blocked-ips', operationId: 'blocked_ips', summary: 'Blocked Ips',
  ...blockList({ ip: { type: 'string' } }),
  operation: /* GraphQL */ `
    query BlocksIP($tenantId: String!, $first: Int!, $offset: Int!, $direction: SortDirection!) {
      organization(select: { tenantId: $tenantId }) {
        tenant_id: tenantId
        loginBlocks(kind: IP, first: $first, offset: $offset, direction: $direction) { ...BlockPage nodes { ip: subject } }
      }
    } ${BLOCK_PAGE}`,
  respond: ({ organization }) => listOf(organization.tenant_id, organization.loginBlocks, ({ ip }) => ({ ip })),
});

export const blockedUsers = defineRoute(vault, {
  method: 'GET', path: '/tenants/{tenant_id}/blocked-users', operationId: 'block_users', summary: 'Block Users',
  ...blockList({
    user_id: { type: 'string' },
    username: { anyOf: [{ type: 'string' }, { type: 'null' }] }, email: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  }),
  operation: /* GraphQL */ `
    query BlocksUSER($tenantId: String!, $first: Int!, $offset: Int!, $direction: SortDirection!) {
      organization(select: { tenantId: $tenantId }) {
        tenant_id: tenantId
        loginBlocks(kind: USER, first: $first, offset: $offset, direction: $direction) {
          ...BlockPage nodes { person { user_id: id username email } }
        }
      }
    } ${BLOCK_PAGE}`,
  // A user block is listed only while its person exists (listActiveBlocks joins it).
  respond: ({ organization }) => listOf(organization.tenant_id, organization.loginBlocks, ({ person }) => person!),
});

export const liftIpBlock = defineRoute(vault, {
  method: 'DELETE', path: '/tenants/{tenant_id}/blocked-ips/{ip}', operationId: 'lift_ip_block',
  summary: 'Lift an IP block (proposed)',
  parameters: [tenantIdPath, stringPath('ip', 64)],
  operation: /* GraphQL */ `
    mutation LiftIp($tenantId: String!, $ip: String!) { liftIpBlock(org: { tenantId: $tenantId }, ip: $ip) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id, ip: path.ip }),
  errorStatuses: [401, 403, 404, 422],
});

export const liftUserBlock = defineRoute(vault, {
  method: 'DELETE', path: '/tenants/{tenant_id}/blocked-users/{user_id}', operationId: 'lift_user_block',
  summary: 'Lift a user block (proposed)',
  parameters: [tenantIdPath, userIdPath],
  operation: /* GraphQL */ `
    mutation LiftUser($tenantId: String!, $id: ID!) { liftUserBlock(org: { tenantId: $tenantId }, personId: $id) }`,
  variables: tenantUserOf,
  errorStatuses: [401, 403, 404, 422],
});
