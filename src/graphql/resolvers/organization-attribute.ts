import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import {
  deleteOrganizationAttributes, organizationAttributes, organizationBucketAttributes, writeOrganizationAttributes,
} from '../../domain/attribute/organization-attribute.service.ts';

const org = ({ em, principal }: GraphQLContext) => resolveManagedOrganization(em, principal);

export const organizationAttributeResolvers: Resolvers = {
  Organization: {
    attributes: (o, { buckets }, { em }) => organizationAttributes(em, o, buckets),
    bucketAttributes: (o, { bucket, names }, { em }) => organizationBucketAttributes(em, o, bucket, names),
  },
  Mutation: {
    writeOrganizationAttributes: async (_, { attributes, bucket, merge }, ctx) =>
      writeOrganizationAttributes(ctx.em, await org(ctx), attributes, bucket, merge),
    deleteOrganizationAttributes: async (_, { bucket, names }, ctx) => deleteOrganizationAttributes(ctx.em, await org(ctx), bucket, names),
  },
};
