// SlashID external credentials (endpoint table 1, rows 69–73). Lists never carry `json_blob`; the
// single read does, with no-store.
import { defineRoute, type JsonSchema } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';
import { stringPath } from '../../parameters.ts';
import {
  EXTERNAL_CREDENTIAL_TYPES, EXTERNAL_PROVIDERS, MAX_CONTENT_BYTES, MAX_EXTERNAL_CREDENTIALS, MAX_LABEL_LENGTH,
} from '../../../domain/external-credential/external-credential.service.ts';
import { inputWrite, pathTarget } from './declaration-pieces.ts';
import type { ExternalCredentialInput } from '../../generated/operations.ts';

const PATH = '/organizations/config/external-credentials';
const credIdPath = stringPath('cred_id', 64, 'ID of the credential to retrieve, modify or delete');
const jsonBlob: JsonSchema = {
  type: 'object', additionalProperties: true, maxProperties: 100,
  description: `The credential material (free-form), at most ${MAX_CONTENT_BYTES} bytes as JSON; sealed at rest`,
};
const label: JsonSchema = { type: 'string', maxLength: MAX_LABEL_LENGTH };
const described: JsonSchema = {
  type: 'object',
  required: ['external_cred_id', 'organization_id', 'extcred_provider', 'extcred_type', 'extcred_label'],
  properties: {
    external_cred_id: { type: 'string' }, organization_id: { type: 'string' },
    extcred_provider: { type: 'string', enum: [...EXTERNAL_PROVIDERS] }, extcred_type: { type: 'string', enum: [...EXTERNAL_CREDENTIAL_TYPES] },
    extcred_label: { type: 'string' },
  },
};
const createReq: JsonSchema = {
  type: 'object', required: ['extcred_provider', 'extcred_type', 'json_blob'],
  properties: {
    extcred_provider: { type: 'string', enum: [...EXTERNAL_PROVIDERS] }, extcred_type: { type: 'string', enum: [...EXTERNAL_CREDENTIAL_TYPES] },
    extcred_label: label, json_blob: jsonBlob,
  },
  description: `At most ${MAX_EXTERNAL_CREDENTIALS} credentials per organization (then 402)`,
};
const EXTERNAL_CREDENTIAL = /* GraphQL */ `
  fragment ExternalCredentialFields on ExternalCredential {
    external_cred_id: id organization_id: organizationId extcred_provider: provider extcred_type: type extcred_label: label
  }`;

export const listExternalCredentials = defineRoute(slashid, {
  method: 'GET', path: PATH, summary: 'List available external credentials',
  operation: /* GraphQL */ `
    query ListExternalCredentials { organization { externalCredentials { ...ExternalCredentialFields } } } ${EXTERNAL_CREDENTIAL}`,
  respond: (data) => ({ body: data.organization.externalCredentials }),
  responseSchema: { type: 'array', items: described },
});

export const createExternalCredential = defineRoute(slashid, {
  method: 'POST', path: PATH, summary: 'Create a new set of external credentials',
  ...inputWrite(createReq, (body): ExternalCredentialInput => ({
    provider: body.extcred_provider, type: body.extcred_type, label: body.extcred_label, content: body.json_blob,
  })),
  operation: /* GraphQL */ `
    mutation CreateExternalCredential($input: ExternalCredentialInput!) { createExternalCredential(input: $input) { id } }`,
  respond: (data) => ({ body: [data.createExternalCredential.id] }),
  responseSchema: { type: 'array', items: { type: 'string' }, description: 'The new credential\'s id' },
  errorStatuses: [400, 401, 402],
});

export const deleteExternalCredentials = defineRoute(slashid, {
  method: 'DELETE', path: PATH, summary: 'Remove an external credential by id',
  parameters: [
    { name: 'credentialId', in: 'query', required: true, schema: { type: 'string', maxLength: 64 }, description: 'The credential to delete (an id of none deletes nothing); empty with deleteAll=true deletes every one' },
    { name: 'deleteAll', in: 'query', schema: { type: 'boolean' }, description: 'Delete every credential, when credentialId is empty' },
    ...consistencyHeaders,
  ],
  operation: /* GraphQL */ `
    mutation DeleteExternalCredentials($id: ID, $all: Boolean) { deleteExternalCredentials(id: $id, all: $all) }`,
  variables: ({ query }) => ({ id: query.credentialId || undefined, all: query.deleteAll }),
  errorStatuses: [400, 401, 404],
});

export const getExternalCredential = defineRoute(slashid, {
  method: 'GET', path: `${PATH}/{cred_id}`, summary: 'Get the specified credential',
  ...pathTarget(credIdPath, 'id'),
  operation: /* GraphQL */ `
    query GetExternalCredential($id: ID!) {
      organization { externalCredential(id: $id) { ...ExternalCredentialFields json_blob: content } }
    } ${EXTERNAL_CREDENTIAL}`,
  respond: (data) => ({ body: data.organization.externalCredential, headers: { 'Cache-Control': 'no-store' } }),
  responseSchema: { ...described, properties: { ...(described.properties as object), json_blob: { type: 'object', additionalProperties: true } } },
});

export const updateExternalCredential = defineRoute(slashid, {
  method: 'PATCH', path: `${PATH}/{cred_id}`, summary: 'Modify the selected credential',
  parameters: [credIdPath, ...consistencyHeaders],
  body: { schema: { type: 'object', properties: { extcred_label: label, json_blob: jsonBlob } }, required: true },
  operation: /* GraphQL */ `
    mutation UpdateExternalCredential($id: ID!, $change: ExternalCredentialChange!) { updateExternalCredential(id: $id, change: $change) { id } }`,
  variables: ({ path, body }) => ({ id: path.cred_id, change: { label: body.extcred_label, content: body.json_blob } }),
  status: 204,
});
