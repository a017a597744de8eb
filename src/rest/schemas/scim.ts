// The SCIM wire: parameters, body schemas, the ListResponse, and `attributes` /
// `excludedAttributes` (RFC 7644 §3.4.2.5), which only shape what is written, never what is read.
import type { JsonSchema, ParameterDeclaration } from '../route.ts';
import type { RouteInput, RouteResult } from '../route.ts';
import { createHash } from 'node:crypto';
import { URN } from '../../domain/scim/scim-schemas.ts';

export const tenantPath: ParameterDeclaration = {
  name: 'tenant_id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 },
  description: 'The tenant whose users and groups are provisioned',
};
export const idPath: ParameterDeclaration = { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 256 } };

const text = (maxLength: number): JsonSchema => ({ type: 'string', maxLength });
export const ifMatchHeader: ParameterDeclaration = {
  name: 'If-Match', in: 'header', schema: text(512), description: 'A meta.version; a different current version answers 412',
};
export const ifNoneMatchHeader: ParameterDeclaration = {
  name: 'If-None-Match', in: 'header', schema: text(512), description: 'A meta.version; the current one answers 304',
};
export const projectionParameters: ParameterDeclaration[] = [
  { name: 'attributes', in: 'query', schema: text(2048), description: 'Comma-separated attributes to return (id and schemas always are)' },
  { name: 'excludedAttributes', in: 'query', schema: text(2048), description: 'Comma-separated attributes to leave out' },
];
export const listParameters: ParameterDeclaration[] = [
  { name: 'filter', in: 'query', schema: text(4096), description: 'A SCIM filter (RFC 7644 §3.4.2.2), e.g. userName eq "ada@example.com"' },
  { name: 'startIndex', in: 'query', schema: { type: 'integer', default: 1 }, description: '1-based; less than 1 counts as 1' },
  { name: 'count', in: 'query', schema: { type: 'integer', default: 100 }, description: 'At most 200; less than 0 counts as 0' },
  ...projectionParameters,
];
export const sortParameters: ParameterDeclaration[] = [
  { name: 'sortBy', in: 'query', schema: text(256) },
  { name: 'sortOrder', in: 'query', schema: { type: 'string', enum: ['ascending', 'descending'] } },
];

export const resourceBody: JsonSchema = { type: 'object', description: 'A SCIM resource (application/scim+json or application/json)' };
export const patchBody: JsonSchema = {
  type: 'object', required: ['Operations'],
  properties: { schemas: { type: 'array', items: { type: 'string' } }, Operations: { type: 'array', minItems: 1, items: { type: 'object' } } },
};
export const resourceSchema: JsonSchema = {
  type: 'object', required: ['schemas'], properties: { schemas: { type: 'array', items: { type: 'string' } }, id: { type: 'string' } },
};
export const listSchema: JsonSchema = {
  type: 'object',
  properties: {
    schemas: { type: 'array', items: { type: 'string' } }, totalResults: { type: 'integer' }, startIndex: { type: 'integer' },
    itemsPerPage: { type: 'integer' }, Resources: { type: 'array', items: resourceSchema },
  },
};

const names = (list: unknown) => (typeof list === 'string' && list.trim() ? list.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean) : []);

const CORE_PREFIXES = [URN.user, URN.group].map((u) => `${u.toLowerCase()}:`);

/** `urn:…:User:name.givenName` → ['name', 'givenname']; an extension's attribute → [urn, attr]. */
function pathOf(attribute: string): string[] {
  const core = CORE_PREFIXES.find((p) => attribute.startsWith(p));
  if (core) return attribute.slice(core.length).split('.');
  if (attribute.startsWith(`${URN.enterprise.toLowerCase()}:`)) return [URN.enterprise.toLowerCase(), ...attribute.slice(URN.enterprise.length + 1).split('.')];
  return attribute.split('.');
}

const ALWAYS = new Set(['id', 'schemas']);

function pick(doc: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    const k = key.toLowerCase();
    if (ALWAYS.has(k)) { out[key] = value; continue; }
    const matching = paths.filter((p) => p[0] === k);
    if (!matching.length) continue;
    if (matching.some((p) => p.length === 1)) { out[key] = value; continue; }
    const rest = matching.map((p) => p.slice(1));
    if (Array.isArray(value)) out[key] = value.map((v) => (v && typeof v === 'object' ? pick(v as Record<string, unknown>, rest) : v));
    else if (value && typeof value === 'object') out[key] = pick(value as Record<string, unknown>, rest);
  }
  return out;
}

function drop(doc: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    const k = key.toLowerCase();
    const matching = paths.filter((p) => p[0] === k);
    if (!ALWAYS.has(k) && matching.some((p) => p.length === 1)) continue;
    const rest = matching.map((p) => p.slice(1));
    if (!rest.length) out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map((v) => (v && typeof v === 'object' ? drop(v as Record<string, unknown>, rest) : v));
    else if (value && typeof value === 'object') out[key] = drop(value as Record<string, unknown>, rest);
    else out[key] = value;
  }
  return out;
}

/** Applies the request's `attributes` / `excludedAttributes` to one resource. */
export function project(resource: unknown, query: RouteInput['query']): Record<string, unknown> {
  const doc = resource as Record<string, unknown>;
  const wanted = names(query.attributes).map(pathOf);
  if (wanted.length) return pick(doc, wanted);
  const excluded = names(query.excludedAttributes).map(pathOf);
  return excluded.length ? drop(doc, excluded) : doc;
}

/** Whether the answer shows a group's members (the list of a large group is skipped when it does not). */
export function wantsMembers(query: RouteInput['query']): boolean {
  const wanted = names(query.attributes).map(pathOf);
  if (wanted.length) return wanted.some((p) => p[0] === 'members');
  return !names(query.excludedAttributes).map(pathOf).some((p) => p[0] === 'members' && p.length === 1);
}

export function listResponse(page: { totalResults: number; startIndex: number; itemsPerPage: number; resources: unknown[] }, query: RouteInput['query']) {
  return {
    schemas: [URN.list], totalResults: page.totalResults, startIndex: page.startIndex, itemsPerPage: page.itemsPerPage,
    Resources: page.resources.map((r) => project(r, query)),
  };
}

const matchesIfNoneMatch = (input: RouteInput, version: string) => {
  const ifNoneMatch = input.headers['if-none-match'];
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return Boolean(ifNoneMatch) && ifNoneMatch!.split(',').some((t) => t.trim() === '*' || bare(t) === bare(version));
};

/**
 * A GET list with an ETag of what it answers (a digest of the body: any change of a listed resource,
 * of the total or of the page changes it); 304 for a matching If-None-Match.
 */
export function listResult(page: Parameters<typeof listResponse>[0], input: RouteInput): RouteResult {
  const body = listResponse(page, input.query);
  const version = `W/"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;
  return matchesIfNoneMatch(input, version) ? { status: 304, headers: { ETag: version } } : { body, headers: { ETag: version } };
}

const versionOf = (resource: unknown) => ((resource as { meta?: { version?: string } }).meta?.version);

/** A single resource with its ETag (and Location when it was just created); 304 for a matching If-None-Match. */
export function resourceResult(resource: unknown, input: RouteInput, created = false): RouteResult {
  const version = versionOf(resource);
  const headers: Record<string, string> = version ? { ETag: version } : {};
  if (created) headers.Location = (resource as { meta: { location: string } }).meta.location;
  if (!created && version && matchesIfNoneMatch(input, version)) return { status: 304, headers };
  return { body: project(resource, input.query), headers };
}

export const ifMatchOf = (input: RouteInput) => input.headers['if-match'] ?? null;
