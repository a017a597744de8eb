// The SlashID organization itself (endpoint table 1, rows 87, 88, 98): its key.
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';

export const rotateOrganizationApiKey = defineRoute(slashid, {
  method: 'PUT', path: '/organizations/api-keys', operationId: 'PutOrganizationsApiKeys',
  summary: 'Generate a new API key for the specified organization',
  parameters: consistencyHeaders,
  operation: /* GraphQL */ `mutation RotateOrganizationApiKey { api_key: rotateOrganizationApiKey }`,
  respond: (data) => ({ body: { api_key: data.api_key }, headers: { 'Cache-Control': 'no-store' } }),
  status: 200,
  responseSchema: { type: 'object', required: ['api_key'], properties: { api_key: { type: 'string' } } },
  errorStatuses: [400, 401],
});
