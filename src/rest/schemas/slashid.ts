// JSON Schemas of the SlashID wire, shaped after the reference OpenAPI document (structure only).
import type { JsonSchema, ParameterDeclaration } from '../route.ts';
import { HANDLE_RULES, HANDLE_TYPES } from '../../domain/person/handles.ts';
import { REGIONS } from '../../domain/person/regions.ts';
import { NAME_PATTERNS } from '../../domain/access/names.ts';
import { MAX_LABEL } from '../../domain/credential/credential.service.ts';
import { MAX_NAME_BYTES, MAX_VALUE_BYTES } from '../../domain/attribute/attribute.service.ts';

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
    groups: { type: 'array', items: { type: 'string' } },
    attributes: { type: 'object', additionalProperties: { type: 'object' } },
  },
};

export const PHC = 'a PHC string: $argon2id$, $argon2i$, $2a$/$2b$/$2y$ (bcrypt) or $pbkdf2-sha256$';

/** The credential types of SlashID's wire (other faces' credentials, such as a ZKP commitment, are not on it). */
export const CREDENTIAL_TYPES = ['public-key', 'password', 'totp'];

/** A credential as POST /persons/{person_id}/credentials and POST /persons take it. */
export const credentialReq: JsonSchema = {
  type: 'object', required: ['type', 'params'],
  properties: {
    type: { type: 'string', enum: CREDENTIAL_TYPES },
    label: { type: 'string', maxLength: MAX_LABEL },
    params: {
      type: 'object',
      description: `By type: password: {password_hash}, ${PHC}; public-key: {webauthn_credential_id (1–1024 `
        + 'characters), public_key (1–4096 characters), attestation_type?, authenticator?}; totp: {key_uri: an '
        + 'otpauth://totp/ URI of at most 2048 characters (SHA1, SHA256 or SHA512; 6 or 8 digits; period 15–300 s; '
        + 'a secret of 10–128 bytes), recovery_codes_total?: 0–100, unused_recovery_codes?: at most that many '
        + 'strings of 1–64 characters}',
    },
  },
};

/** `{bucket: {name: value}}`; bucket names (404) and name and value sizes (400) are rules of the domain. */
export const bucketedAttributes: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'object' },
  description: `Attribute names are 1–${MAX_NAME_BYTES} bytes; a value at most ${MAX_VALUE_BYTES} bytes of JSON`,
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
    attributes: {
      ...bucketedAttributes,
      description: 'Attributes by bucket, stored with the person. On PUT, only when the person is created (else 400)',
    },
    credentials: {
      type: 'array', items: credentialReq, maxItems: 20,
      description: 'Credentials stored with the person, at most one password. On PUT, only when the person is created (else 400)',
    },
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
  description: 'Fields to include besides the base ones (handles, groups, attributes); handles only when omitted',
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
