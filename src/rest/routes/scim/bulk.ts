// SCIM /Bulk (RFC 7644 §3.7, endpoint table 2 row 54): many writes in one request. The operation
// reads the tenant's limits (and refuses a caller without scim:write, or of another tenant); each
// bulk operation then runs the declaration of /Users or /Groups it names (src/rest/scim-bulk.ts).
import { defineRoute } from '../../route.ts';
import { scim } from '../../dialects/scim.ts';
import { tenantPath } from '../../schemas/scim.ts';
import { runBulk, type BulkLimits } from '../../scim-bulk.ts';
import { BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD_BYTES, URN } from '../../../domain/scim/scim-schemas.ts';

const bulkBody = {
  type: 'object', required: ['schemas', 'Operations'],
  description: `At most ${BULK_MAX_OPERATIONS} operations and ${BULK_MAX_PAYLOAD_BYTES} bytes (more is 413 tooLarge). `
    + 'A POST needs a bulkId; "bulkId:<id>" in a later path or data value stands for the resource that POST created.',
  properties: {
    schemas: { type: 'array', items: { type: 'string', enum: [URN.bulkRequest] } },
    failOnErrors: { type: 'integer', minimum: 1, description: 'Stop after this many failed operations' },
    Operations: {
      type: 'array', minItems: 1,
      // Each operation is checked on its own: a malformed one answers its own 400, the others run.
      items: {
        description: 'One write as a single request would send it',
        properties: {
          method: { description: 'POST, PUT, PATCH or DELETE' },
          path: { description: '/Users, /Groups, /Users/{id} or /Groups/{id}; {id} may be bulkId:<bulkId>' },
          bulkId: { description: 'Required for POST; unique in the request' },
          version: { description: 'A meta.version, sent as If-Match' },
          data: { description: 'The resource (POST, PUT) or PatchOp (PATCH)' },
        },
      },
    },
  },
} as const;

const bulkResponseSchema = {
  type: 'object', required: ['schemas', 'Operations'],
  properties: {
    schemas: { type: 'array', items: { type: 'string' } },
    Operations: {
      type: 'array',
      items: {
        type: 'object', required: ['status'],
        properties: {
          method: { type: 'string' }, bulkId: { type: 'string' }, version: { type: 'string' }, location: { type: 'string' },
          status: { type: 'string' }, response: { type: 'object' },
        },
      },
    },
  },
} as const;

export const bulk = defineRoute(scim, {
  method: 'POST', path: '/scim/v2/{tenant_id}/Bulk', operationId: 'scim_bulk',
  summary: 'Run SCIM writes in bulk (bulkId references, failOnErrors)',
  parameters: [tenantPath],
  body: { schema: bulkBody, maxBytes: BULK_MAX_PAYLOAD_BYTES },
  operation: /* GraphQL */ `query ScimBulkLimits($tenantId: String!) { scimBulkLimits(tenantId: $tenantId) }`,
  variables: ({ path }) => ({ tenantId: path.tenant_id }),
  dispatch: (data, input, run) => runBulk(data.scimBulkLimits as BulkLimits, input, run),
  status: 200, responseSchema: bulkResponseSchema, errorStatuses: [400, 401, 403, 404, 413],
});
