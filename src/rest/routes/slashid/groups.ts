// SlashID groups (endpoint table 1, rows 38, 39, 51–57).
import { defineRoute } from '../../route.ts';
import { stringPath } from '../../parameters.ts';
import { slashid } from '../../dialects/slashid.ts';
import { personIdPath, consistencyHeaders } from '../../schemas/slashid.ts';
import { NAME_PATTERNS } from '../../../domain/access/names.ts';
import { omitNulls } from '../../wire-mapping.ts';
import { describedName, nameList, names, pathTarget, personNamesRoute, requiredMember } from './declaration-pieces.ts';

const groupNamePath = stringPath('group_name', 100, 'The group name');
const byGroupName = pathTarget(groupNamePath, 'name');
const groupName = {
  type: 'string', maxLength: 100, pattern: NAME_PATTERNS.group,
  description: '2–100 characters of A-Z a-z 0-9 . _ -, alphanumeric at both ends',
};

export const listGroups = defineRoute(slashid, {
  method: 'GET', path: '/groups', summary: 'Get a list of groups',
  operation: /* GraphQL */ `query GetGroups { groups { name } }`,
  respond: (data) => ({ body: nameList(data.groups) }),
  responseSchema: names,
  errorStatuses: [400, 401, 404],
});

export const createGroup = defineRoute(slashid, {
  method: 'POST', path: '/groups', summary: 'Create a group',
  ...describedName(groupName),
  operation: /* GraphQL */ `
    mutation PostGroups($name: String!, $description: String) { createGroup(name: $name, description: $description) { id } }`,
  errorStatuses: [400, 401, 402],
});

export const getGroup = defineRoute(slashid, {
  method: 'GET', path: '/groups/{group_name}', summary: 'Get a group',
  ...byGroupName,
  operation: /* GraphQL */ `
    query GetGroup($name: String!) { group(name: $name) { name description members_count: membersCount created: createdAt } }`,
  respond: (data) => ({ body: omitNulls(data.group, 'description') }),
  responseSchema: {
    type: 'object',
    properties: { name: { type: 'string' }, description: { type: 'string' }, members_count: { type: 'integer' }, created: { type: 'string', format: 'date-time' } },
  },
});

export const deleteGroup = defineRoute(slashid, {
  method: 'DELETE', path: '/groups/{group_name}', summary: 'Delete a group',
  ...pathTarget(groupNamePath, 'name', ...consistencyHeaders),
  operation: /* GraphQL */ `mutation DeleteGroup($name: String!) { deleteGroup(name: $name) }`,
  status: 200,
});

export const listGroupPersons = defineRoute(slashid, {
  method: 'GET', path: '/groups/{group_name}/persons', summary: 'List the persons in a group',
  ...byGroupName,
  operation: /* GraphQL */ `query GetGroupPersons($name: String!) { group(name: $name) { memberIds } }`,
  respond: (data) => ({ body: data.group.memberIds }),
  responseSchema: names,
});

export const addGroupPersons = defineRoute(slashid, {
  method: 'POST', path: '/groups/{group_name}/persons', summary: 'Add persons to a group',
  parameters: [groupNamePath],
  body: {
    schema: requiredMember('persons', {
      type: 'array', items: { type: 'string', maxLength: 128 }, minItems: 1, maxItems: 1000,
      description: 'IDs of persons of the organization (an unknown one answers 404), all in the same region',
    }),
  },
  operation: /* GraphQL */ `
    mutation AddGroupPersons($name: String!, $ids: [ID!]!) { addGroupMembers(group: $name, personIds: $ids) { id } }`,
  variables: ({ path, body }) => ({ name: path.group_name, ids: body.persons }),
});

export const removeGroupPerson = defineRoute(slashid, {
  method: 'DELETE', path: '/groups/{group_name}/persons/{person_id}', summary: 'Delete a person from a group',
  parameters: [groupNamePath, personIdPath],
  operation: /* GraphQL */ `
    mutation RemoveGroupPerson($name: String!, $id: ID!) { removeGroupMember(group: $name, personId: $id) { id } }`,
  variables: ({ path }) => ({ name: path.group_name, id: path.person_id }),
  status: 200,
});

export const getPersonGroups = personNamesRoute('groups', 'Get groups for a person',
  /* GraphQL */ `query GetPersonGroups($id: ID!) { person(id: $id) { groups { name } } }`);

export const putPersonGroups = defineRoute(slashid, {
  method: 'PUT', path: '/persons/{person_id}/groups', summary: 'Set the groups for a person',
  parameters: [personIdPath],
  body: { schema: requiredMember('groups', { type: 'array', items: groupName, maxItems: 1000, description: 'Names of existing groups' }) },
  operation: /* GraphQL */ `
    mutation PutPersonGroups($id: ID!, $groups: [String!]!) { setPersonGroups(personId: $id, groups: $groups) { groups { name } } }`,
  variables: ({ path, body }) => ({ id: path.person_id, groups: body.groups }),
  respond: (data) => ({ body: nameList(data.setPersonGroups.groups) }),
  responseSchema: names,
});
