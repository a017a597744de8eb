// SCIM fields: resolve the tenant the caller manages, then the SCIM services of src/domain/scim.
import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import { bulkLimits, resourceType, resourceTypes, schemaById, schemas, serviceProviderConfig } from '../../domain/scim/scim-schemas.ts';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from '../../domain/scim/users.service.ts';
import {
  createScimGroup, deleteScimGroup, getGroup, listGroups, patchScimGroup, replaceScimGroup,
} from '../../domain/scim/groups.service.ts';
import { searchAll } from '../../domain/scim/search.service.ts';

/** The tenant (NOT_FOUND unless the caller manages it) and the SCIM base URL of its resources. */
async function tenant(ctx: GraphQLContext, tenantId: string) {
  const org = await resolveManagedOrganization(ctx.em, ctx.principal, { tenantId });
  return { org, base: `${ctx.services.publicUrl().replace(/\/+$/, '')}/scim/v2/${encodeURIComponent(tenantId)}` };
}

export const scimResolvers: Resolvers = {
  Query: {
    scimServiceProviderConfig: async (_, { tenantId }, ctx) => serviceProviderConfig((await tenant(ctx, tenantId)).base),
    scimResourceTypes: async (_, { tenantId }, ctx) => resourceTypes((await tenant(ctx, tenantId)).base),
    scimResourceType: async (_, { tenantId, id }, ctx) => resourceType((await tenant(ctx, tenantId)).base, id),
    scimSchemas: async (_, { tenantId }, ctx) => schemas((await tenant(ctx, tenantId)).base),
    scimSchema: async (_, { tenantId, id }, ctx) => schemaById((await tenant(ctx, tenantId)).base, id),
    scimUsers: async (_, { tenantId, ...req }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return listUsers(ctx.em, org, base, req);
    },
    scimUser: async (_, { tenantId, id }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return getUser(ctx.em, org, base, id);
    },
    scimGroups: async (_, { tenantId, members, ...req }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return listGroups(ctx.em, org, base, req, members ?? true);
    },
    scimGroup: async (_, { tenantId, id, members }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return getGroup(ctx.em, org, base, id, members ?? true);
    },
    scimSearch: async (_, { tenantId, members, ...req }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return searchAll(ctx.em, org, base, req, members ?? true);
    },
    scimBulkLimits: async (_, { tenantId }, ctx) => bulkLimits((await tenant(ctx, tenantId)).base),
  },
  Mutation: {
    scimCreateUser: async (_, { tenantId, resource }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return createUser(ctx.em, org, base, resource, ctx.services.defaultRegion);
    },
    scimReplaceUser: async (_, { tenantId, id, resource, ifMatch }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return replaceUser(ctx.em, org, base, id, resource, ifMatch);
    },
    scimPatchUser: async (_, { tenantId, id, patch, ifMatch }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return patchUser(ctx.em, org, base, id, patch, ifMatch);
    },
    scimDeleteUser: async (_, { tenantId, id, ifMatch }, ctx) => deleteUser(ctx.em, (await tenant(ctx, tenantId)).org, id, ifMatch),
    scimCreateGroup: async (_, { tenantId, resource }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return createScimGroup(ctx.em, org, base, resource);
    },
    scimReplaceGroup: async (_, { tenantId, id, resource, ifMatch }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return replaceScimGroup(ctx.em, org, base, id, resource, ifMatch);
    },
    scimPatchGroup: async (_, { tenantId, id, patch, ifMatch, members }, ctx) => {
      const { org, base } = await tenant(ctx, tenantId);
      return patchScimGroup(ctx.em, org, base, id, patch, ifMatch, members ?? false);
    },
    scimDeleteGroup: async (_, { tenantId, id, ifMatch }, ctx) => deleteScimGroup(ctx.em, (await tenant(ctx, tenantId)).org, id, ifMatch),
  },
};
