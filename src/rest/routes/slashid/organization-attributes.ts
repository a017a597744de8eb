// SlashID organization attributes (endpoint table 1, rows 89–95): the persons' bucket engine for
// the caller's organization (GET /organizations/attribute-buckets lists the buckets).
import { consistencyHeaders } from '../../schemas/slashid.ts';
import { attributeRoutes } from './attribute-routes.ts';

export const {
  read: getOrganizationAttributes, put: putOrganizationAttributes, patch: patchOrganizationAttributes,
  readBucket: getOrganizationBucketAttributes, putBucket: putOrganizationBucketAttributes,
  patchBucket: patchOrganizationBucketAttributes, removeFromBucket: deleteOrganizationBucketAttributes,
} = attributeRoutes({
  path: '/organizations/attributes', whose: 'the organization', field: 'organization',
  parameters: [], writeHeaders: consistencyHeaders, variables: () => ({}),
}, {
  write: /* GraphQL */ `
  mutation WriteOrganizationAttributes($attributes: JSON!, $bucket: String, $merge: Boolean!) {
    writeOrganizationAttributes(attributes: $attributes, bucket: $bucket, merge: $merge) { id }
  }`,
  read: /* GraphQL */ `query GetOrganizationAttributes($buckets: [String!]) { organization { attributes(buckets: $buckets) } }`,
  readBucket: /* GraphQL */ `
    query GetOrganizationBucket($bucket: String!, $names: [String!]) { organization { bucketAttributes(bucket: $bucket, names: $names) } }`,
  removeFromBucket: /* GraphQL */ `
    mutation DeleteOrganizationAttributes($bucket: String!, $names: [String!]) {
      deleteOrganizationAttributes(bucket: $bucket, names: $names) { id }
    }`,
});
