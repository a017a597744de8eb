// JSON Schemas of the SlashID wire, shaped after the reference OpenAPI document (structure only).
import type { JsonSchema, ParameterDeclaration } from '../route.ts';
import { HANDLE_RULES, HANDLE_TYPES } from '../../domain/person/handles.ts';
import { REGIONS } from '../../domain/person/person.service.ts';
import { NAME_PATTERNS } from '../../domain/access/names.ts';

export const personHandle: JsonSchema = {
  type: 'object',
  required: ['type', 'value'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: HANDLE_TYPES },
    value: {
      type: 'string', minLength: 1, maxLength: 320,
      description: `By type: ${Object.entries(HANDLE_RULES).map(([type, r]) => `${type}: ${r.hint}, at most ${r.max} characters`).join('; ')}`,
    },
  },
};

export const personHandles: JsonSchema = { type: 'array', items: personHandle, maxItems: 100 };

export const personRet: JsonSchema = {
  type: 'object',
  required: ['active', 'person_id', 'person_type', 'region'],
  properties: {
    active: { type: 'boolean' },
    person_id: { type: 'string' },
    person_type: { type: 'string', enum: ['regular', 'anonymous'] },
    region: { type: 'string', enum: REGIONS },
    handles: personHandles,
  },
};

export const personCreateReq: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['handles'],
  properties: {
    active: { type: 'boolean' },
    handles: { ...personHandles, minItems: 1 },
    region: { type: 'string', enum: REGIONS },
    groups: {
      type: 'array', items: { type: 'string', maxLength: 100, pattern: NAME_PATTERNS.group }, maxItems: 1000,
      description: 'Names of existing groups',
    },
    attributes: { type: 'object', maxProperties: 0, description: 'Not set on create yet: send it empty, then PUT the attributes' },
    credentials: { type: 'array', maxItems: 0, items: { type: 'object' }, description: 'Not set on create yet: send it empty, then POST each credential' },
  },
};

export const personPatchReq: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { active: { type: 'boolean' } },
};

export const orgIdHeader: ParameterDeclaration = {
  name: 'SlashID-OrgID', in: 'header', required: true, schema: { type: 'string' },
  description: 'The organization ID',
};

export const personIdPath: ParameterDeclaration = {
  name: 'person_id', in: 'path', required: true, schema: { type: 'string', maxLength: 128 }, description: 'The person ID',
};

export const personFields: ParameterDeclaration = {
  name: 'fields', in: 'query', commaSeparated: true,
  schema: { type: 'array', items: { type: 'string', enum: ['handles', 'groups', 'attributes'] } },
  description: 'Fields to include besides the base ones; handles are included when omitted',
};

/**
 * Consistency requirements of writes. One PostgreSQL serves every region here, so a write is
 * visible everywhere when it returns: both values are met at once; the headers are validated only.
 */
export const consistencyHeaders: ParameterDeclaration[] = [
  { name: 'SlashID-Required-Consistency', in: 'header', schema: { type: 'string', enum: ['local_region', 'all_regions'] } },
  { name: 'SlashID-Required-Consistency-Timeout', in: 'header', schema: { type: 'integer', minimum: 1, maximum: 120 } },
];

export const sdkVersionHeader: ParameterDeclaration = {
  name: 'SlashID-SdkVersion', in: 'header', schema: { type: 'string', maxLength: 64 }, description: 'Informational',
};

export const personsBulkImportReq: JsonSchema = {
  type: 'object',
  properties: { persons: { type: 'string', format: 'binary', description: 'The CSV file of persons (see GET /persons/bulk-import for the columns)' } },
  required: ['persons'],
};

export const personsBulkImportRet: JsonSchema = {
  type: 'object',
  properties: {
    successful_imports: { type: 'integer' },
    failed_imports: { type: 'integer' },
    failed_csv: { type: 'string', description: 'The failed rows as CSV, with slashid:row and slashid:failure_reason columns' },
  },
  required: ['successful_imports', 'failed_imports'],
};

const organizationRet: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, parent_id: { type: 'string' }, org_name: { type: 'string' }, tenant_name: { type: 'string' } },
  required: ['id', 'org_name', 'tenant_name'],
};

export const personOrganizationsRet: JsonSchema = {
  type: 'array',
  items: { ...organizationRet, properties: { ...(organizationRet.properties as object), managed_organizations: { type: 'array', items: organizationRet } } },
};
