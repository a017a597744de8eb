// Secrets Vault /tenants/{tenant_id}/users (endpoint table 2, rows 16–20). A user is a person
// seen with its `username` and `email` handles.
import { defineRoute, type JsonSchema, type RouteInput } from '../../route.ts';
import { stringPath } from '../../parameters.ts';
import { vault } from '../../dialects/vault.ts';
import { tenantIdPath, tenantUserOf, user, userIdPath, userRet, userUpdate } from '../../schemas/vault.ts';
import { ValidationFailed } from '../../../domain/errors.ts';
import { MAX_BATCH } from '../../../domain/person/person.service.ts';
import { compileItemCheck } from '../../validation.ts';
import type { CreatePersonInput, UserFragment } from '../../generated/operations.ts';

export const USER = /* GraphQL */ `
  fragment User on Person {
    user_id: id username email organization { tenantId } active
    is_verified: isVerified created_at: createdAt updated_at: updatedAt locale roles: roleNames external_id: externalId
  }`;

/** The aliases give every wire name but two: the tenant is the person's organization, and disabled is not active. */
export const toUser = ({ user_id, username, email, organization, active, ...rest }: UserFragment) => ({
  user_id, username, email, tenant_id: organization.tenantId, is_disabled: !active, ...rest,
});

function assertSameIds(input: RouteInput) {
  const { body, path } = input;
  const issues = [];
  if (body.tenant_id !== undefined && body.tenant_id !== path.tenant_id) {
    issues.push({ loc: ['body', 'tenant_id'], msg: 'must equal the tenant_id of the path', type: 'value_error' });
  }
  if (path.user_id !== undefined && body.user_id !== undefined && body.user_id !== path.user_id) {
    issues.push({ loc: ['body', 'user_id'], msg: 'must equal the user_id of the path', type: 'value_error' });
  }
  if (issues.length) throw new ValidationFailed(issues.map((i) => i.msg).join('; '), issues);
}

const handlesOf = (body: any) => [
  { type: 'username' as const, value: body.username },
  { type: 'email_address' as const, value: body.email },
];

const personInputOf = (body: any): CreatePersonInput => ({
  id: body.user_id, handles: handlesOf(body), active: body.is_disabled === undefined ? true : !body.is_disabled,
  isVerified: body.is_verified, locale: body.locale, externalId: body.external_id, roles: body.roles,
});

const ORDER_FIELDS = { created_at: 'CREATED_AT', username: 'USERNAME', email: 'EMAIL' } as const;
const userList = { type: 'object', properties: { data: { type: 'array', items: userRet }, has_next: { type: 'boolean' }, total_count: { type: 'integer' } } };

export const listUsers = defineRoute(vault, {
  method: 'GET', path: '/tenants/{tenant_id}/users', operationId: 'list_users', summary: 'List Users',
  parameters: [
    tenantIdPath,
    { name: 'username', in: 'query', schema: { type: 'string', maxLength: 128, default: '' } },
    { name: 'email', in: 'query', schema: { type: 'string', maxLength: 128, default: '' } },
    { name: 'limit', in: 'query', schema: { type: 'integer', exclusiveMinimum: 0, maximum: 500, default: 10 } },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
    { name: 'sort_direction', in: 'query', schema: { type: 'integer', minimum: -1, maximum: 1, default: -1 } },
    { name: 'sort_by', in: 'query', schema: { type: 'string', enum: ['created_at', 'username', 'email'], default: 'created_at' } },
  ],
  operation: /* GraphQL */ `
    query ListUsers($tenantId: String!, $first: Int!, $offset: Int!, $filter: PersonFilter, $orderBy: PersonOrder) {
      organization(select: { tenantId: $tenantId }) {
        persons(first: $first, offset: $offset, filter: $filter, orderBy: $orderBy) {
          totalCount pageInfo { hasNextPage } nodes { ...User }
        }
      }
    } ${USER}`,
  variables: ({ path, query }) => ({
    tenantId: path.tenant_id,
    first: query.limit,
    offset: query.offset,
    filter: { usernameContains: query.username || undefined, emailContains: query.email || undefined },
    orderBy: { field: ORDER_FIELDS[query.sort_by as keyof typeof ORDER_FIELDS], direction: query.sort_direction === 1 ? 'ASC' : 'DESC' },
  }),
  respond: (data) => {
    const page = data.organization.persons;
    return { body: { data: page.nodes.map(toUser), has_next: page.pageInfo.hasNextPage, total_count: page.totalCount } };
  },
  responseSchema: userList,
});

export const createUser = defineRoute(vault, {
  method: 'POST', path: '/tenants/{tenant_id}/users', operationId: 'create_user', summary: 'Create User',
  parameters: [tenantIdPath],
  body: { schema: user },
  operation: /* GraphQL */ `
    mutation CreateUser($tenantId: String!, $input: CreatePersonInput!) {
      createPerson(org: { tenantId: $tenantId }, input: $input) { ...User }
    } ${USER}`,
  variables: (input) => {
    assertSameIds(input);
    const { body, path } = input;
    return { tenantId: path.tenant_id, input: personInputOf(body) };
  },
  respond: (data) => ({ body: toUser(data.createPerson) }),
  responseSchema: userRet,
  errorStatuses: [401, 404, 409, 422],
});

export const getUser = defineRoute(vault, {
  method: 'GET', path: '/tenants/{tenant_id}/users/{user_id}', operationId: 'get_user', summary: 'Get User',
  parameters: [tenantIdPath, userIdPath],
  operation: /* GraphQL */ `
    query GetUser($tenantId: String!, $id: ID!) {
      organization(select: { tenantId: $tenantId }) { person(id: $id) { ...User } }
    } ${USER}`,
  variables: tenantUserOf,
  respond: (data) => ({ body: toUser(data.organization.person) }),
  responseSchema: userRet,
});

export const getUserByUsername = defineRoute(vault, {
  method: 'GET', path: '/tenants/{tenant_id}/users/by-username/{username}', operationId: 'get_user_by_name',
  summary: 'Get User By Name',
  parameters: [tenantIdPath, stringPath('username', 128)],
  operation: /* GraphQL */ `
    query GetUserByName($tenantId: String!, $handle: HandleInput!) {
      organization(select: { tenantId: $tenantId }) { personByHandle(handle: $handle) { ...User } }
    } ${USER}`,
  variables: ({ path }) => ({ tenantId: path.tenant_id, handle: { type: 'username', value: path.username } }),
  respond: (data) => ({ body: toUser(data.organization.personByHandle) }),
  responseSchema: userRet,
});

export const updateUser = defineRoute(vault, {
  method: 'PUT', path: '/tenants/{tenant_id}/users/{user_id}', operationId: 'update_user', summary: 'Update User',
  parameters: [tenantIdPath, userIdPath],
  body: { schema: userUpdate },
  operation: /* GraphQL */ `
    mutation UpdateUser($tenantId: String!, $id: ID!, $input: UpdatePersonInput!) {
      updatePerson(org: { tenantId: $tenantId }, id: $id, input: $input) { ...User }
    } ${USER}`,
  variables: (input) => {
    assertSameIds(input);
    const { body, path } = input;
    return {
      tenantId: path.tenant_id,
      id: path.user_id,
      input: {
        replaceHandles: handlesOf(body),
        active: body.is_disabled === undefined ? undefined : !body.is_disabled,
        isVerified: body.is_verified, locale: body.locale, externalId: body.external_id, roles: body.roles ?? undefined,
      },
    };
  },
  respond: (data) => ({ body: toUser(data.updatePerson) }),
  responseSchema: userRet,
  errorStatuses: [401, 404, 409, 422],
});

const isUser = compileItemCheck(user);
const usernameOf = (item: any) => (typeof item?.username === 'string' ? item.username.slice(0, 128) : '');
/** A batch body: one required list of at most MAX_BATCH items under `key`. */
const batchOf = (key: string, items: JsonSchema, description?: string) => ({
  schema: {
    type: 'object', required: [key],
    properties: { [key]: { type: 'array', items, maxItems: MAX_BATCH, ...(description ? { description } : {}) } },
  },
});

/** A batch item reaches the graph when it is a valid create body that names no other tenant. */
const creatable = (item: any, tenantId: string) => isUser(item) && (item.tenant_id === undefined || item.tenant_id === tenantId);

export const batchCreateUsers = defineRoute(vault, {
  method: 'POST', path: '/tenants/{tenant_id}/users/batch', operationId: 'batch_create_user', summary: 'Batch Create User',
  parameters: [tenantIdPath],
  body: batchOf('users', { type: 'object' }, 'Each item is a body of POST /tenants/{tenant_id}/users. An item that does '
    + 'not match it, or names another tenant_id, is not created: its username is listed in fail_create_usernames.'),
  operation: /* GraphQL */ `
    mutation BatchCreateUsers($tenantId: String!, $inputs: [CreatePersonInput!]!) {
      batchCreatePersons(org: { tenantId: $tenantId }, inputs: $inputs) {
        createdCount failed { index } duplicates { index }
      }
    }`,
  // Items that fail the wire schema are reported without reaching the graph; the graph reports
  // the others by their index among `inputs`, which `respond` names by their username handle.
  variables: ({ path, body }) => ({
    tenantId: path.tenant_id, inputs: body.users.filter((u: unknown) => creatable(u, path.tenant_id)).map(personInputOf),
  }),
  respond: ({ batchCreatePersons: result }, { body }, { tenantId, inputs }) => {
    const usernameAt = (index: number) => inputs[index].handles.find((h) => h.type === 'username')!.value;
    return {
      body: {
        success_created_count: result.createdCount,
        fail_create_usernames: [
          ...body.users.filter((u: unknown) => !creatable(u, tenantId)).map(usernameOf), ...result.failed.map((f) => usernameAt(f.index)),
        ],
        duplicate_usernames: result.duplicates.map((f) => usernameAt(f.index)),
      },
    };
  },
  responseSchema: {
    type: 'object',
    properties: {
      success_created_count: { type: 'integer' },
      fail_create_usernames: { type: 'array', items: { type: 'string' } },
      duplicate_usernames: { type: 'array', items: { type: 'string' } },
    },
  },
  errorStatuses: [401, 403, 404, 422],
});

export const batchDeleteUsers = defineRoute(vault, {
  method: 'POST', path: '/tenants/{tenant_id}/users/batch-delete', operationId: 'batch_delete_user', summary: 'Batch Delete User',
  parameters: [tenantIdPath],
  body: batchOf('users_ids', { type: 'string', maxLength: 64 }),
  operation: /* GraphQL */ `
    mutation BatchDeleteUsers($tenantId: String!, $ids: [ID!]!) { batchDeletePersons(org: { tenantId: $tenantId }, ids: $ids) }`,
  variables: ({ path, body }) => ({ tenantId: path.tenant_id, ids: body.users_ids }),
  errorStatuses: [401, 403, 404, 422],
});

export const updateEmail = defineRoute(vault, {
  method: 'PUT', path: '/tenants/{tenant_id}/users/{user_id}/email', operationId: 'update_email', summary: 'Update Email',
  parameters: [tenantIdPath, userIdPath],
  body: {
    schema: {
      type: 'object', required: ['challenge_id', 'challenge_data', 'email'],
      properties: {
        challenge_id: { type: 'string', minLength: 1, maxLength: 64 },
        challenge_data: { type: 'string', minLength: 1, maxLength: 256 },
        email: { type: 'string', format: 'email', maxLength: 320 },
      },
    },
  },
  operation: /* GraphQL */ `
    mutation UpdateEmail($tenantId: String!, $id: ID!, $input: EmailChangeInput!) {
      changeEmailWithProof(org: { tenantId: $tenantId }, personId: $id, input: $input) { id }
    }`,
  variables: (input) => ({
    ...tenantUserOf(input),
    input: { email: input.body.email, challengeId: input.body.challenge_id, challengeData: input.body.challenge_data },
  }),
  errorStatuses: [401, 403, 404, 409, 422, 429],
});
