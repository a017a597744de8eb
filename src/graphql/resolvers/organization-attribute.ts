import type { Resolvers } from '../generated/types.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import {
  deleteOrganizationAttributes, organizationAttributes, organizationBucketAttributes, writeOrganizationAttributes,
} from '../../domain/attribute/organization-attribute.service.ts';

export const organizationAttributeResolvers: Resolvers = {
  Organization: {
    attributes: (o, { buckets }, { em }) => organizationAttributes(em, o, buckets),
    bucketAttributes: (o, { bucket, names }, { em }) => organizationBucketAttributes(em, o, bucket, names),
  },
  Mutation: {
    writeOrganizationAttributes: async (_, { attributes, bucket, merge }, ctx) =>
      writeOrganizationAttributes(ctx.em, await managedOrganizationOf(ctx), attributes, bucket, merge),
    deleteOrganizationAttributes: async (_, { bucket, names }, ctx) => deleteOrganizationAttributes(ctx.em, await managedOrganizationOf(ctx), bucket, names),
  },
};
