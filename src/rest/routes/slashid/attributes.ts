// SlashID person attributes and GDPR consent (endpoint table 1, rows 21–31, 104).
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { personIdPath } from '../../schemas/slashid.ts';
import { CONSENT_LEVELS } from '../../../domain/consent/consent.service.ts';
import { attributeRoutes } from './attribute-routes.ts';
import { ofPerson } from './declaration-pieces.ts';

export const {
  read: getAttributes, put: putAttributes, patch: patchAttributes,
  readBucket: getBucketAttributes, putBucket: putBucketAttributes, patchBucket: patchBucketAttributes,
  removeFromBucket: deleteBucketAttributes,
} = attributeRoutes({
  path: '/persons/{person_id}/attributes', whose: 'a person', field: 'person',
  parameters: [personIdPath], writeHeaders: [], variables: ofPerson.variables,
}, {
  write: /* GraphQL */ `
  mutation WriteAttributes($id: ID!, $attributes: JSON!, $bucket: String, $merge: Boolean!) {
    writePersonAttributes(personId: $id, attributes: $attributes, bucket: $bucket, merge: $merge) { id }
  }`,
  read: /* GraphQL */ `query GetAttributes($id: ID!, $buckets: [String!]) { person(id: $id) { attributes(buckets: $buckets) } }`,
  readBucket: /* GraphQL */ `
    query GetBucket($id: ID!, $bucket: String!, $names: [String!]) { person(id: $id) { bucketAttributes(bucket: $bucket, names: $names) } }`,
  removeFromBucket: /* GraphQL */ `
    mutation DeleteAttributes($id: ID!, $bucket: String!, $names: [String!]) {
      deletePersonAttributes(personId: $id, bucket: $bucket, names: $names) { id }
    }`,
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
