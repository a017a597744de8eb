// The SlashID organization itself and its hierarchy (endpoint table 1, rows 87, 88, 96–98).
import { defineRoute, type JsonSchema } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders, personHandle } from '../../schemas/slashid.ts';
import { CONFIRMATION_AGE_SECONDS, MAX_ADMINS, MAX_ORGANIZATION_NAME } from '../../../domain/organization/hierarchy.service.ts';
import type { OrganizationInfoFragment } from '../../generated/operations.ts';

const ORGANIZATION_INFO = /* GraphQL */ `
  fragment OrganizationInfo on Organization { id org_name: name tenant_name: tenantName parent { id } }`;

/** SlashID names the parent by `parent_id`, and only when there is one. */
const organizationInfo = ({ id, org_name, tenant_name, parent }: OrganizationInfoFragment) =>
  ({ id, org_name, tenant_name, ...(parent ? { parent_id: parent.id } : {}) });

const organizationSchema = {
  type: 'object',
  required: ['id', 'org_name', 'tenant_name'],
  properties: { id: { type: 'string' }, parent_id: { type: 'string' }, org_name: { type: 'string' }, tenant_name: { type: 'string' } },
} satisfies JsonSchema;

export const getOrganization = defineRoute(slashid, {
  method: 'GET', path: '/organizations', summary: 'Retrieve information about an organization',
  operation: /* GraphQL */ `
    query GetOrganization {
      organization {
        ...OrganizationInfo
        persons_pool_org_ids: personsPoolOrganizationIds group_pool_org_ids: groupsPoolOrganizationIds
        inherits_rbac_pools: inheritsRbacPools
      }
    } ${ORGANIZATION_INFO}`,
  respond: ({ organization: o }) => ({
    body: {
      ...organizationInfo(o), persons_pool_org_ids: o.persons_pool_org_ids, group_pool_org_ids: o.group_pool_org_ids,
      inherits_rbac_pools: o.inherits_rbac_pools,
    },
  }),
  responseSchema: {
    ...organizationSchema,
    required: [...organizationSchema.required, 'persons_pool_org_ids', 'group_pool_org_ids'],
    properties: {
      ...organizationSchema.properties,
      persons_pool_org_ids: { type: 'array', items: { type: 'string' } },
      group_pool_org_ids: { type: 'array', items: { type: 'string' } },
      inherits_rbac_pools: { type: 'boolean' },
    },
  },
  errorStatuses: [400, 401, 404],
});

export const deleteOrganization = defineRoute(slashid, {
  method: 'DELETE', path: '/organizations', summary: 'Delete an organization',
  parameters: [
    ...consistencyHeaders,
    { name: 'delete_suborganizations', in: 'query', schema: { type: 'boolean' }, description: 'Delete the organizations below this one too (needs confirmation_timestamp)' },
    {
      name: 'confirmation_timestamp', in: 'query', schema: { type: 'string', format: 'date-time', maxLength: 64 },
      description: `RFC 3339, ${CONFIRMATION_AGE_SECONDS.min} to ${CONFIRMATION_AGE_SECONDS.max} seconds before now; `
        + 'needed with delete_suborganizations. A root organization, one with suborganizations (without them), '
        + 'or one whose pool another organization shares answers 409',
    },
  ],
  operation: /* GraphQL */ `
    mutation DeleteOrganization($deleteSuborganizations: Boolean, $confirmationTimestamp: DateTime) {
      deleteOrganization(deleteSuborganizations: $deleteSuborganizations, confirmationTimestamp: $confirmationTimestamp)
    }`,
  variables: ({ query }) => ({
    deleteSuborganizations: query.delete_suborganizations, confirmationTimestamp: query.confirmation_timestamp,
  }),
  errorStatuses: [400, 401, 404, 409],
});

export const listSuborganizations = defineRoute(slashid, {
  method: 'GET', path: '/organizations/suborganizations', summary: 'List suborganizations',
  parameters: [{
    name: 'filter', in: 'query', schema: { type: 'string', maxLength: 4096 },
    description: 'SCIM 2.0 filter over name, id and parent_org_id (eq ne co sw ew pr, and or not; names case-insensitive)',
  }],
  operation: /* GraphQL */ `
    query ListSuborganizations($filter: String) { descendantOrganizations(filter: $filter) { id } }`,
  variables: ({ query }) => ({ filter: query.filter }),
  respond: (data) => ({ body: data.descendantOrganizations.map((o) => o.id) }),
  responseSchema: { type: 'array', items: { type: 'string' } },
  errorStatuses: [400, 401, 404],
});

const createSuborganizationReq: JsonSchema = {
  type: 'object',
  required: ['sub_org_name', 'admins'],
  properties: {
    sub_org_name: { type: 'string', minLength: 1, maxLength: MAX_ORGANIZATION_NAME },
    admins: { type: 'array', items: personHandle, minItems: 1, maxItems: MAX_ADMINS, description: 'Each handle is an admin person of the new organization\'s person pool' },
    persons_org_id: { type: 'string', maxLength: 64, description: 'Share the person pool of this organization (yours or one below it; else 412)' },
    groups_org_id: { type: 'string', maxLength: 64, description: 'Share the group pool of this organization (yours or one below it; else 412)' },
    inherit_rbac_pools: { type: 'boolean', description: 'Set once, at creation. True: roles and permissions are those of the nearest ancestor that does not inherit; permissions are read-only here' },
  },
};

export const createSuborganization = defineRoute(slashid, {
  method: 'POST', path: '/organizations/suborganizations', summary: 'Create a suborganization',
  parameters: consistencyHeaders,
  body: { schema: createSuborganizationReq, required: true },
  operation: /* GraphQL */ `
    mutation CreateSuborganization($input: CreateSuborganizationInput!) {
      createSuborganization(input: $input) { organization { ...OrganizationInfo } api_key: apiKey }
    } ${ORGANIZATION_INFO}`,
  variables: ({ body }) => ({
    input: {
      name: body.sub_org_name, admins: body.admins, personsOrgId: body.persons_org_id, groupsOrgId: body.groups_org_id,
      inheritRbacPools: body.inherit_rbac_pools,
    },
  }),
  respond: (data) => ({
    body: { ...organizationInfo(data.createSuborganization.organization), api_key: data.createSuborganization.api_key },
    headers: { 'Cache-Control': 'no-store' },
  }),
  status: 200,
  responseSchema: { ...organizationSchema, required: [...organizationSchema.required, 'api_key'], properties: { ...organizationSchema.properties, api_key: { type: 'string' } } },
  // 412: persons_org_id or groups_org_id names no organization the caller manages.
  errorStatuses: [400, 401, 402, 409, 412],
});

export const rotateOrganizationApiKey = defineRoute(slashid, {
  method: 'PUT', path: '/organizations/api-keys', summary: 'Generate a new API key for the specified organization',
  parameters: consistencyHeaders,
  operation: /* GraphQL */ `mutation RotateOrganizationApiKey { api_key: rotateOrganizationApiKey }`,
  respond: (data) => ({ body: { api_key: data.api_key }, headers: { 'Cache-Control': 'no-store' } }),
  responseSchema: { type: 'object', required: ['api_key'], properties: { api_key: { type: 'string' } } },
});
