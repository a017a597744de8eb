// SlashID person attributes and GDPR consent (endpoint table 1, rows 21–31, 104).
import { defineRoute, type ParameterDeclaration } from '../../route.ts';
import { stringPath } from '../../parameters.ts';
import { slashid } from '../../dialects/slashid.ts';
import { personIdPath } from '../../schemas/slashid.ts';
import { CONSENT_LEVELS } from '../../../domain/consent/consent.service.ts';
import { MAX_NAME_BYTES, MAX_VALUE_BYTES } from '../../../domain/attribute/attribute.service.ts';
import { ofPerson } from './declaration-pieces.ts';

export const bucketPath = stringPath('bucket_name', 64, 'The attribute bucket');
export const listParam = (name: string, maxLength: number): ParameterDeclaration => ({
  name, in: 'query', commaSeparated: true, schema: { type: 'array', items: { type: 'string', maxLength }, maxItems: 1000 },
});
export const attributeMap = {
  type: 'object', additionalProperties: true,
  description: `Attribute names of 1–${MAX_NAME_BYTES} bytes; each value at most ${MAX_VALUE_BYTES / 1024} KiB as JSON`,
};
export const bucketMap = {
  type: 'object', additionalProperties: attributeMap,
  description: 'By bucket name (GET /organizations/attribute-buckets lists them; an unknown one answers 404)',
};

const WRITE = /* GraphQL */ `
  mutation WriteAttributes($id: ID!, $attributes: JSON!, $bucket: String, $merge: Boolean!) {
    writePersonAttributes(personId: $id, attributes: $attributes, bucket: $bucket, merge: $merge) { id }
  }`;

function writeRoute(method: 'PUT' | 'PATCH', single: boolean) {
  const merge = method === 'PATCH';
  const suffix = single ? 'BucketName' : '';
  return defineRoute(slashid, {
    method, path: single ? '/persons/{person_id}/attributes/{bucket_name}' : '/persons/{person_id}/attributes',
    operationId: `${merge ? 'Patch' : 'Put'}PersonsPersonIdAttributes${suffix}`,
    summary: `Create or modify attributes for a person in ${single ? 'a single bucket' : 'multiple buckets'}`,
    parameters: single ? [personIdPath, bucketPath] : [personIdPath],
    body: { schema: single ? attributeMap : bucketMap },
    operation: WRITE,
    variables: ({ path, body }) => ({ id: path.person_id, attributes: body, bucket: single ? path.bucket_name : null, merge }),
    status: 204,
    errorStatuses: [400, 401, 403, 404],
  });
}

export const getAttributes = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/attributes', summary: 'Retrieve attributes for a person from multiple buckets',
  parameters: [personIdPath, listParam('buckets', 64)],
  operation: /* GraphQL */ `query GetAttributes($id: ID!, $buckets: [String!]) { person(id: $id) { attributes(buckets: $buckets) } }`,
  variables: ({ path, query }) => ({ id: path.person_id, buckets: query.buckets }),
  respond: (data) => ({ body: data.person.attributes }),
  responseSchema: bucketMap,
  errorStatuses: [400, 401, 403, 404],
});
export const putAttributes = writeRoute('PUT', false);
export const patchAttributes = writeRoute('PATCH', false);

export const getBucketAttributes = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/attributes/{bucket_name}', summary: 'Retrieve attributes for a person from a single bucket',
  parameters: [personIdPath, bucketPath, listParam('attributes', 70)],
  operation: /* GraphQL */ `
    query GetBucket($id: ID!, $bucket: String!, $names: [String!]) { person(id: $id) { bucketAttributes(bucket: $bucket, names: $names) } }`,
  variables: ({ path, query }) => ({ id: path.person_id, bucket: path.bucket_name, names: query.attributes }),
  respond: (data) => ({ body: data.person.bucketAttributes }),
  responseSchema: attributeMap,
  errorStatuses: [400, 401, 403, 404],
});
export const putBucketAttributes = writeRoute('PUT', true);
export const patchBucketAttributes = writeRoute('PATCH', true);

export const deleteBucketAttributes = defineRoute(slashid, {
  method: 'DELETE', path: '/persons/{person_id}/attributes/{bucket_name}', summary: 'Delete attributes for a person from a single bucket',
  parameters: [personIdPath, bucketPath, listParam('attributes', 70)],
  operation: /* GraphQL */ `
    mutation DeleteAttributes($id: ID!, $bucket: String!, $names: [String!]) {
      deletePersonAttributes(personId: $id, bucket: $bucket, names: $names) { id }
    }`,
  variables: ({ path, query }) => ({ id: path.person_id, bucket: path.bucket_name, names: query.attributes }),
  errorStatuses: [400, 401, 403, 404],
});

export const listAttributeBuckets = defineRoute(slashid, {
  method: 'GET', path: '/organizations/attribute-buckets', summary: "List organization's attribute buckets",
  operation: /* GraphQL */ `
    query GetBuckets {
      attributeBuckets { name sharing_scope: sharingScope owner_organization_id: ownerOrganizationId end_user_permissions: endUserPermissions }
    }`,
  respond: (data) => ({ body: data.attributeBuckets }),
  responseSchema: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        name: { type: 'string' }, sharing_scope: { type: 'string', enum: ['organization', 'person_pool'] },
        owner_organization_id: { type: 'string' }, end_user_permissions: { type: 'string', enum: ['no_access', 'read_only', 'read_write'] },
      },
    },
  },
});

// GDPR consent
const CONSENTS = /* GraphQL */ `fragment Consents on Person { consent { consent_level: level created_at: createdAt } }`;
const consentBody = {
  type: 'object', required: ['consent_levels'],
  properties: { consent_levels: { type: 'array', items: { type: 'string', enum: CONSENT_LEVELS }, maxItems: 6 } },
};
const consentResult = {
  type: 'object',
  properties: {
    consents: {
      type: 'array',
      items: { type: 'object', properties: { consent_level: { type: 'string', enum: CONSENT_LEVELS }, created_at: { type: 'string', format: 'date-time' } } },
    },
  },
};

export const getConsent = defineRoute(slashid, {
  method: 'GET', path: '/persons/{person_id}/consent/gdpr', summary: 'Get GDPR consent',
  ...ofPerson,
  operation: /* GraphQL */ `query GetConsent($id: ID!) { person(id: $id) { ...Consents } } ${CONSENTS}`,
  respond: (data) => ({ body: { consents: data.person.consent } }),
  responseSchema: consentResult,
});

function consentWrite(method: 'PUT' | 'POST') {
  const replace = method === 'PUT';
  return defineRoute(slashid, {
    method, path: '/persons/{person_id}/consent/gdpr',
    operationId: replace ? 'PutPersonsPersonIdConsentGdpr' : 'PostPersonsPersonIdConsentGdpr',
    summary: replace ? 'Set GDPR consent' : 'Store GDPR consent',
    parameters: [personIdPath],
    body: { schema: consentBody },
    operation: /* GraphQL */ `
      mutation SetConsent($id: ID!, $levels: [GdprConsentLevel!]!, $replace: Boolean!) {
        setGdprConsent(personId: $id, levels: $levels, replace: $replace) { ...Consents }
      } ${CONSENTS}`,
    variables: ({ path, body }) => ({ id: path.person_id, levels: body.consent_levels, replace }),
    respond: (data) => ({ body: { consents: data.setGdprConsent.consent } }),
    status: replace ? 200 : 201,
    responseSchema: consentResult,
    errorStatuses: [400, 401, 404],
  });
}
export const putConsent = consentWrite('PUT');
export const postConsent = consentWrite('POST');

export const deleteConsent = defineRoute(slashid, {
  method: 'DELETE', path: '/persons/{person_id}/consent/gdpr', summary: 'Remove GDPR consent',
  parameters: [
    personIdPath,
    {
      name: 'consent_levels', in: 'query', commaSeparated: true, schema: { type: 'array', items: { type: 'string', enum: CONSENT_LEVELS } },
      description: 'The levels to remove; required unless deleteAll=true',
    },
    { name: 'deleteAll', in: 'query', schema: { type: 'boolean' }, description: 'Remove every level' },
  ],
  operation: /* GraphQL */ `
    mutation RemoveConsent($id: ID!, $levels: [GdprConsentLevel!], $all: Boolean) {
      removeGdprConsent(personId: $id, levels: $levels, all: $all) { id }
    }`,
  variables: ({ path, query }) => ({ id: path.person_id, levels: query.consent_levels, all: query.deleteAll ?? false }),
});
