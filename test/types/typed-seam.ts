// The seam between REST and GraphQL is typed: `npm run typecheck` checks this file, and every
// `@ts-expect-error` below must meet the error it announces, or tsc fails ("Unused
// '@ts-expect-error' directive"). test/types/typed-seam.test.ts also checks that each one, removed,
// leaves the error it names. The operations are those of real declarations (codegen types only the
// documents of src/rest/routes/**), copied verbatim.
import { defineRoute, type ParameterDeclaration, type RouteInput } from '../../src/rest/route.ts';
import { declareTable } from '../../src/rest/routes/declaration-table.ts';
import { slashid } from '../../src/rest/dialects/slashid.ts';
import { vault } from '../../src/rest/dialects/vault.ts';

const shape = { method: 'GET' as const, path: '/groups/{group_name}', operationId: 'Seam', summary: 'Seam', status: 200, errorStatuses: [404] };
const groupNamePath: ParameterDeclaration = { name: 'group_name', in: 'path', required: true, schema: { type: 'string' } };

/** A declaration reads what its operation selects, by the aliases it selects it under. */
export const selected = defineRoute(slashid, {
  ...shape,
  parameters: [groupNamePath],
  operation: `
    query GetGroup($name: String!) { group(name: $name) { name description members_count: membersCount created: createdAt } }`,
  variables: ({ path }) => ({ name: path.group_name }),
  respond: (data, _input, variables) => ({
    body: { name: data.group.name, members: data.group.members_count, asked: variables.name },
  }),
});

export const unselected = defineRoute(slashid, {
  ...shape,
  operation: `query GetGroups { groups { name } }`,
  // @ts-expect-error TS2339 Group.description exists, but GetGroups does not select it
  respond: (data) => ({ body: data.groups.map((g) => g.description) }),
});

export const fieldNameNotAlias = defineRoute(slashid, {
  ...shape,
  parameters: [groupNamePath],
  operation: `
    query GetGroup($name: String!) { group(name: $name) { name description members_count: membersCount created: createdAt } }`,
  variables: ({ path }) => ({ name: path.group_name }),
  // @ts-expect-error TS2551 the data carries the alias (members_count), not the field name
  respond: (data) => ({ body: data.group.membersCount }),
});

export const wrongVariables = defineRoute(slashid, {
  ...shape,
  parameters: [groupNamePath],
  operation: `
    query GetGroup($name: String!) { group(name: $name) { name description members_count: membersCount created: createdAt } }`,
  // @ts-expect-error TS2322 $name is a String!, not a number
  variables: () => ({ name: 42 }),
});

// @ts-expect-error TS2345 an operation that declares variables needs `variables`
export const missingVariables = defineRoute(vault, {
  ...shape,
  operation: `
    query ReadTenant($tenantId: String!) { organization(select: { tenantId: $tenantId }) { ...Tenant } }`,
});

// @ts-expect-error TS2345 a document codegen has not typed (run npm run codegen) is refused
export const notGenerated = defineRoute(vault, {
  ...shape,
  operation: `query NoSuchOperation { organizations { id } }`,
});

/** A table of declarations (declaration-table.ts): each operation must declare every variable its parts pass. */
export const tableMisfit = declareTable(vault, {
  read: { ...shape, variables: ({ path }: RouteInput) => ({ tenantId: path.tenant_id, id: path.id }) },
}, {
  // @ts-expect-error TS2322 ReadTenant does not declare the $id its parts pass
  read: `
    query ReadTenant($tenantId: String!) { organization(select: { tenantId: $tenantId }) { ...Tenant } }`,
});
