// SlashID /persons/{person_id}/handles (endpoint table 1, rows 35–37).
import { defineRoute } from '../../route.ts';
import { stringPath } from '../../parameters.ts';
import { slashid } from '../../dialects/slashid.ts';
import { personHandles, personIdPath } from '../../schemas/slashid.ts';
import { HANDLE_TYPES, parseHandleRef } from '../../../domain/person/handles.ts';
import { ofPerson } from './declaration-pieces.ts';

export const listHandles = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/handles', summary: 'Get handles for a person',
  ...ofPerson,
  operation: /* GraphQL */ `query GetHandles($id: ID!) { person(id: $id) { handles { type value } } }`,
  respond: (data) => ({ body: data.person.handles }),
  responseSchema: personHandles,
});

export const addHandles = defineRoute(slashid, {
  method: 'POST', path: '/persons/{person_id}/handles', summary: 'Add handles to a person',
  parameters: [personIdPath],
  body: { schema: { ...personHandles, minItems: 1 } },
  operation: /* GraphQL */ `
    mutation AddHandles($id: ID!, $handles: [HandleInput!]!) { addHandles(personId: $id, handles: $handles) { id } }`,
  variables: ({ path, body }) => ({ id: path.person_id, handles: body }),
  status: 204,
  errorStatuses: [400, 401, 404, 409],
});

export const removeHandle = defineRoute(slashid, {
  method: 'DELETE', path: '/persons/{person_id}/handles/{handle}', summary: 'Delete a handle from a person',
  parameters: [
    personIdPath,
    stringPath('handle', 400, `type:value, URL-encoded, with type one of ${HANDLE_TYPES.join(', ')}`),
  ],
  operation: /* GraphQL */ `
    mutation RemoveHandle($id: ID!, $handle: HandleInput!) { removeHandle(personId: $id, handle: $handle) { id } }`,
  variables: ({ path }) => ({ id: path.person_id, handle: parseHandleRef(path.handle) }),
});
