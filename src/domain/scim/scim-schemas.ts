// SCIM 2.0 discovery (RFC 7643 §5–7, RFC 7644 §4): what this server supports, as the documents
// provisioning clients read before they start. Static: nothing here depends on stored data.
import { NotFound } from '../errors.ts';

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  config: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
} as const;

/** The most resources one list answers (`count` above it is lowered, as RFC 7644 §3.4.2.4 allows). */
export const MAX_PAGE = 200;
export const MAX_OPERATIONS = 1000;
/** The most operations one /Bulk request holds, and its largest body (both advertised; more is 413 tooLarge). */
export const BULK_MAX_OPERATIONS = 1000;
export const BULK_MAX_PAYLOAD_BYTES = 1024 * 1024;

export const bulkLimits = (base: string) => ({ maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_BYTES, base });

export function serviceProviderConfig(base: string) {
  return {
    schemas: [URN.config],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_BYTES },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [{
      type: 'oauthbearertoken', name: 'Bearer API key', primary: true,
      description: "Authorization: Bearer with the tenant's API key or a per-user key holding scim:read / scim:write (X-API-Key works too)",
    }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

const RESOURCE_TYPES = [
  { id: 'User', name: 'User', endpoint: '/Users', description: 'A person of the tenant', schema: URN.user,
    schemaExtensions: [{ schema: URN.enterprise, required: false }] },
  { id: 'Group', name: 'Group', endpoint: '/Groups', description: 'A group of the tenant', schema: URN.group, schemaExtensions: [] },
];

export function resourceTypes(base: string) {
  return RESOURCE_TYPES.map((t) => ({
    schemas: [URN.resourceType], ...t, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${t.id}` },
  }));
}

export function resourceType(base: string, id: string) {
  const found = resourceTypes(base).find((t) => t.id === id);
  if (!found) throw new NotFound(`No resource type "${id.slice(0, 64)}"; there are User and Group`);
  return found;
}

type Attr = Record<string, unknown>;
const attr = (name: string, extra: Attr = {}): Attr => ({
  name, type: 'string', multiValued: false, required: false, caseExact: false,
  mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra,
});
const multi = (name: string, subs: Attr[]) => attr(name, { type: 'complex', multiValued: true, subAttributes: subs });
const valueTypePrimary = [attr('value'), attr('display'), attr('type'), attr('primary', { type: 'boolean' })];

const SCHEMAS = [
  {
    id: URN.user, name: 'User', description: 'User Account',
    attributes: [
      attr('userName', { required: true, uniqueness: 'server' }),
      attr('name', { type: 'complex', subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => attr(n)) }),
      ...['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'].map((n) => attr(n)),
      attr('active', { type: 'boolean' }),
      attr('externalId', { caseExact: true }),
      multi('emails', valueTypePrimary),
      multi('phoneNumbers', valueTypePrimary),
      multi('addresses', ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'].map((n) => attr(n))),
      attr('groups', { type: 'complex', multiValued: true, mutability: 'readOnly', subAttributes: [attr('value'), attr('$ref', { type: 'reference' }), attr('display')] }),
    ],
  },
  {
    id: URN.enterprise, name: 'EnterpriseUser', description: 'Enterprise User',
    attributes: [
      ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => attr(n)),
      attr('manager', { type: 'complex', subAttributes: [attr('value'), attr('$ref', { type: 'reference' }), attr('displayName', { mutability: 'readOnly' })] }),
    ],
  },
  {
    id: URN.group, name: 'Group', description: 'Group',
    attributes: [
      attr('displayName', { required: true, uniqueness: 'server', caseExact: true }),
      attr('members', { type: 'complex', multiValued: true, subAttributes: [attr('value', { mutability: 'immutable' }), attr('$ref', { type: 'reference' }), attr('display', { mutability: 'readOnly' })] }),
    ],
  },
];

export function schemas(base: string) {
  return SCHEMAS.map((s) => ({ schemas: [URN.schema], ...s, meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` } }));
}

export function schemaById(base: string, id: string) {
  const found = schemas(base).find((s) => s.id === id);
  if (!found) throw new NotFound(`No schema "${id.slice(0, 100)}"; see ${base}/Schemas`);
  return found;
}
