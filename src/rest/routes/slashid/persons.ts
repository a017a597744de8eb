// SlashID /persons, /persons/{person_id} and its organizations (endpoint table 1, rows 32–34, 45–48).
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import {
  personCreateReq, personFields, personIdPath, personOrganizationsRet, personPatchReq, personRet,
} from '../../schemas/slashid.ts';
import { PERSON_RET, WRITE_FIELDS, fieldVariables, personRet as personBody, personVariables } from './person-fields.ts';
import { HANDLE_TYPES, parseHandleRef } from '../../../domain/person/handles.ts';
import type { OrganizationRetFragment } from '../../generated/operations.ts';

const personList = { type: 'array', items: personRet };

export const listPersons = defineRoute(slashid, {
  method: 'GET', path: '/persons', summary: 'Retrieve a list of persons',
  parameters: [
    { name: 'handle', in: 'query', schema: { type: 'string', maxLength: 400 }, description: `type:value, URL-encoded, with type one of ${HANDLE_TYPES.join(', ')}` },
    { name: 'filter', in: 'query', schema: { type: 'string', maxLength: 4096 }, description: 'SCIM 2.0 filter' },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000 } },
    { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
    { name: 'ids', in: 'query', commaSeparated: true, schema: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 1000 } },
    personFields,
    { name: 'all_regions', in: 'query', schema: { type: 'boolean' } },
    { name: 'all_person_types', in: 'query', schema: { type: 'boolean' } },
  ],
  operation: /* GraphQL */ `
    query GetPersons($first: Int!, $offset: Int!, $filter: PersonFilter, $withHandles: Boolean!, $withGroups: Boolean!, $withAttributes: Boolean!) {
      persons(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ...PersonRet } }
    }
    ${PERSON_RET}`,
  variables: (input) => {
    const { query } = input;
    return {
      first: query.limit ?? 1000,
      offset: query.offset ?? 0,
      filter: {
        ids: query.ids,
        handle: query.handle !== undefined ? parseHandleRef(query.handle) : undefined,
        allPersonTypes: query.all_person_types === true,
        scim: query.filter,
      },
      ...fieldVariables(input),
    };
  },
  respond: (data, _input, { first, offset }) => ({
    body: data.persons.nodes.map(personBody),
    meta: { pagination: { limit: first, offset, total_count: data.persons.totalCount } },
  }),
  responseSchema: personList,
  errorStatuses: [400, 401, 404],
});

export const createPerson = defineRoute(slashid, {
  method: 'POST', path: '/persons', summary: 'Create new person',
  body: { schema: personCreateReq },
  operation: /* GraphQL */ `
    mutation PostPersons($input: CreatePersonInput!, $withHandles: Boolean!, $withGroups: Boolean!, $withAttributes: Boolean!) {
      createPerson(input: $input) { ...PersonRet }
    }
    ${PERSON_RET}`,
  variables: ({ body }) => ({ input: personVariables(body), ...WRITE_FIELDS }),
  respond: (data) => ({ body: personBody(data.createPerson) }),
  responseSchema: personRet,
  errorStatuses: [400, 401, 402, 404, 409],
});

export const putPerson = defineRoute(slashid, {
  method: 'PUT', path: '/persons', summary: 'Create or update a person (idempotent)',
  body: { schema: personCreateReq },
  operation: /* GraphQL */ `
    mutation PutPersons($input: CreatePersonInput!, $withHandles: Boolean!, $withGroups: Boolean!, $withAttributes: Boolean!) {
      upsertPerson(input: $input) { created person { ...PersonRet } }
    }
    ${PERSON_RET}`,
  variables: ({ body }) => ({ input: personVariables(body), ...WRITE_FIELDS }),
  respond: (data) => ({ body: personBody(data.upsertPerson.person), status: data.upsertPerson.created ? 201 : 200 }),
  otherStatuses: [201],
  responseSchema: personRet,
  errorStatuses: [400, 401, 402, 404],
});

export const getPerson = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}', summary: 'Retrieve a person',
  parameters: [personIdPath, personFields],
  operation: /* GraphQL */ `
    query GetPerson($id: ID!, $withHandles: Boolean!, $withGroups: Boolean!, $withAttributes: Boolean!) { person(id: $id) { ...PersonRet } }
    ${PERSON_RET}`,
  variables: (input) => ({ id: input.path.person_id, ...fieldVariables(input) }),
  respond: (data) => ({ body: personBody(data.person) }),
  responseSchema: personRet,
});

export const patchPerson = defineRoute(slashid, {
  method: 'PATCH', path: '/persons/{person_id}', summary: 'Modify an existing person',
  parameters: [personIdPath],
  body: { schema: personPatchReq },
  operation: /* GraphQL */ `
    mutation PatchPerson($id: ID!, $input: UpdatePersonInput!, $withHandles: Boolean!, $withGroups: Boolean!, $withAttributes: Boolean!) {
      updatePerson(id: $id, input: $input) { ...PersonRet }
    }
    ${PERSON_RET}`,
  variables: ({ path, body }) => ({ id: path.person_id, input: { active: body.active }, ...WRITE_FIELDS }),
  respond: (data) => ({ body: personBody(data.updatePerson) }),
  responseSchema: personRet,
});

export const deletePerson = defineRoute(slashid, {
  method: 'DELETE', path: '/persons/{person_id}', summary: 'Delete a person from an organization',
  parameters: [personIdPath],
  operation: /* GraphQL */ `mutation DeletePerson($id: ID!) { deletePerson(id: $id) }`,
  variables: ({ path }) => ({ id: path.person_id }),
});

const ORGANIZATION_RET = /* GraphQL */ `
  fragment OrganizationRet on Organization { id org_name: name tenant_name: tenantName parent { id } }`;

/** SlashID names the parent by `parent_id`, and only when there is one. */
const organizationRet = ({ id, org_name, tenant_name, parent }: OrganizationRetFragment) =>
  ({ id, org_name, tenant_name, ...(parent ? { parent_id: parent.id } : {}) });

export const getPersonOrganizations = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/organizations', summary: "Retrieve the list of person's organizations",
  parameters: [
    personIdPath,
    { name: 'filter', in: 'query', schema: { type: 'string', maxLength: 4096 }, description: 'SCIM 2.0 filter over id, org_name, tenant_name, parent_id' },
  ],
  operation: /* GraphQL */ `
    query GetPersonOrganizations($id: ID!, $filter: String) {
      person(id: $id) {
        organizations(filter: $filter) { ...OrganizationRet managed_organizations: managedOrganizations { ...OrganizationRet } }
      }
    }
    ${ORGANIZATION_RET}`,
  variables: ({ path, query }) => ({ id: path.person_id, filter: query.filter }),
  respond: (data) => ({
    body: data.person.organizations.map((org) => ({
      ...organizationRet(org), managed_organizations: org.managed_organizations.map(organizationRet),
    })),
  }),
  responseSchema: personOrganizationsRet,
  errorStatuses: [400, 401, 403, 404],
});
