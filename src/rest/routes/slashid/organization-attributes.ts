// SlashID organization attributes (endpoint table 1, rows 89–95): the persons' bucket engine for
// the caller's organization (GET /organizations/attribute-buckets lists the buckets).
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';
import { attributeMap, bucketMap, bucketPath, listParam } from './attributes.ts';

const WRITE = /* GraphQL */ `
  mutation WriteOrganizationAttributes($attributes: JSON!, $bucket: String, $merge: Boolean!) {
    writeOrganizationAttributes(attributes: $attributes, bucket: $bucket, merge: $merge) { id }
  }`;

function writeRoute(method: 'PUT' | 'PATCH', single: boolean) {
  const merge = method === 'PATCH';
  return defineRoute(slashid, {
    method, path: single ? '/organizations/attributes/{bucket_name}' : '/organizations/attributes',
    operationId: `${merge ? 'Patch' : 'Put'}OrganizationsAttributes${single ? 'BucketName' : ''}`,
    summary: `Create or modify attributes for the organization in ${single ? 'a single bucket' : 'multiple buckets'}`,
    parameters: single ? [bucketPath, ...consistencyHeaders] : consistencyHeaders,
    body: { schema: single ? attributeMap : bucketMap },
    operation: WRITE,
    variables: ({ path, body }) => ({ attributes: body, bucket: single ? path.bucket_name : null, merge }),
    status: 204,
    errorStatuses: [400, 401, 403, 404],
  });
}

export const getOrganizationAttributes = defineRoute(slashid, {
  method: 'GET', path: '/organizations/attributes', summary: 'Retrieve attributes for the organization from multiple buckets',
  parameters: [listParam('buckets', 64)],
  operation: /* GraphQL */ `query GetOrganizationAttributes($buckets: [String!]) { organization { attributes(buckets: $buckets) } }`,
  variables: ({ query }) => ({ buckets: query.buckets }),
  respond: (data) => ({ body: data.organization.attributes }),
  responseSchema: bucketMap,
  errorStatuses: [400, 401, 403, 404],
});
export const putOrganizationAttributes = writeRoute('PUT', false);
export const patchOrganizationAttributes = writeRoute('PATCH', false);

export const getOrganizationBucketAttributes = defineRoute(slashid, {
  method: 'GET', path: '/organizations/attributes/{bucket_name}', summary: 'Retrieve attributes for the organization from a single bucket',
  parameters: [bucketPath, listParam('attributes', 70)],
  operation: /* GraphQL */ `
    query GetOrganizationBucket($bucket: String!, $names: [String!]) { organization { bucketAttributes(bucket: $bucket, names: $names) } }`,
  variables: ({ path, query }) => ({ bucket: path.bucket_name, names: query.attributes }),
  respond: (data) => ({ body: data.organization.bucketAttributes }),
  responseSchema: attributeMap,
  errorStatuses: [400, 401, 403, 404],
});
export const putOrganizationBucketAttributes = writeRoute('PUT', true);
export const patchOrganizationBucketAttributes = writeRoute('PATCH', true);

export const deleteOrganizationBucketAttributes = defineRoute(slashid, {
  method: 'DELETE', path: '/organizations/attributes/{bucket_name}', summary: 'Delete attributes for the organization from a single bucket',
  parameters: [bucketPath, listParam('attributes', 70), ...consistencyHeaders],
  operation: /* GraphQL */ `
    mutation DeleteOrganizationAttributes($bucket: String!, $names: [String!]) {
      deleteOrganizationAttributes(bucket: $bucket, names: $names) { id }
    }`,
  variables: ({ path, query }) => ({ bucket: path.bucket_name, names: query.attributes }),
  errorStatuses: [400, 401, 403, 404],
});
