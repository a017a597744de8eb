// SlashID allowed origin domains (endpoint table 1, rows 77–79); they decide the CORS of the
// tenant's OpenID endpoints (src/domain/organization/allowed-domains.ts).
import { defineRoute } from '../../route.ts';
import { slashid } from '../../dialects/slashid.ts';
import { consistencyHeaders } from '../../schemas/slashid.ts';
import { MAX_ALLOWED_DOMAINS } from '../../../domain/organization/allowed-domains.ts';

const PATH = '/organizations/config/domains';
const domain = { type: 'string', minLength: 1, maxLength: 253, description: 'A host name (xyz.com) or a pattern with `*` (*.xyz.com); case-insensitive' };

export const listAllowedDomains = defineRoute(slashid, {
  method: 'GET', path: PATH, summary: 'List the allowed domains',
  operation: /* GraphQL */ `query ListAllowedDomains { organization { allowedDomains } }`,
  respond: (data) => ({ body: data.organization.allowedDomains }),
  responseSchema: { type: 'array', items: { type: 'string' } },
});

export const addAllowedDomains = defineRoute(slashid, {
  method: 'POST', path: PATH, summary: 'Add allowed domains',
  parameters: [
    { name: 'overwrite', in: 'query', schema: { type: 'boolean' }, description: 'Replace the list instead of adding to it' },
    ...consistencyHeaders,
  ],
  body: {
    schema: {
      type: 'object', required: ['domains'],
      properties: { domains: { type: 'array', items: domain, maxItems: MAX_ALLOWED_DOMAINS } },
      description: `At most ${MAX_ALLOWED_DOMAINS} domains per organization (then 402)`,
    },
    required: true,
  },
  operation: /* GraphQL */ `
    mutation AddAllowedDomains($domains: [String!]!, $overwrite: Boolean) { addAllowedDomains(domains: $domains, overwrite: $overwrite) { id } }`,
  variables: ({ body, query }) => ({ domains: body.domains, overwrite: query.overwrite }),
  status: 204,
  errorStatuses: [400, 401, 402, 404],
});

export const removeAllowedDomains = defineRoute(slashid, {
  method: 'DELETE', path: PATH, summary: 'Remove allowed domains',
  parameters: [
    { name: 'domain', in: 'query', schema: { type: 'string', maxLength: 253 }, description: 'The domain to remove (not listed: nothing happens)' },
    { name: 'deleteAll', in: 'query', schema: { type: 'boolean' }, description: 'Remove every domain; with domain too: 400' },
    ...consistencyHeaders,
  ],
  operation: /* GraphQL */ `
    mutation RemoveAllowedDomains($domain: String, $all: Boolean) { removeAllowedDomains(domain: $domain, all: $all) { id } }`,
  variables: ({ query }) => ({ domain: query.domain, all: query.deleteAll }),
  errorStatuses: [400, 401, 404],
});
