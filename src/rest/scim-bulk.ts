// SCIM /Bulk (RFC 7644 §3.7). Each operation runs the declaration of its method and path for the
// same caller, as a request of its own would (its `@auth` rule, its validation, its own audited
// transaction): a bulk can do nothing its caller could not do one request at a time. Operations are
// not atomic (the RFC's rule): one that fails leaves the others done. `bulkId:x` in a path or a data
// value stands for the id the POST with bulkId x created; an operation waits for the POSTs it names,
// and operations that wait on each other (a cycle) answer 409.
import { DomainError } from '../domain/errors.ts';
import { URN } from '../domain/scim/scim-schemas.ts';
import { scimInvalid, scimTooLarge } from '../domain/scim/scim-errors.ts';
import { scim } from './dialects/scim.ts';
import { wireErrorOf } from './dialects/dialect.ts';
import type { RouteDeclaration, RouteInput, RouteResult, RunDeclaration } from './route.ts';
import * as users from './routes/scim/users.ts';
import * as groups from './routes/scim/groups.ts';

export interface BulkLimits { maxOperations: number; maxPayloadSize: number; base: string }

const TARGETS = [
  users.createUser, users.replaceUser, users.patchUser, users.deleteUser,
  groups.createGroup, groups.replaceGroup, groups.patchGroup, groups.deleteGroup,
];
const BULK_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
const REFERENCE = /^bulkId:(.+)$/;

interface Parsed { index: number; method: string; path: string; bulkId?: string; version?: string; data?: unknown; refs: Set<string> }
interface Malformed { index: number; method?: string; bulkId?: string; error: DomainError }
type Operation = Parsed | Malformed;

export interface BulkResult {
  method?: string; bulkId?: string; version?: string; location?: string; status: string; response?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** `bulkId:x` segments of a path, replaced by the ids created so far. */
const pathReferences = (path: string) => path.split('/').flatMap((segment) => REFERENCE.exec(segment)?.[1] ?? []);
const substitutePath = (path: string, ids: Map<string, string>) =>
  path.split('/').map((segment) => { const ref = REFERENCE.exec(segment)?.[1]; return ref && ids.has(ref) ? ids.get(ref) : segment; }).join('/');

/** Every `bulkId:x` a value names (strings equal to it, at any depth; bodies are depth-limited already). */
function referencesIn(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    const match = REFERENCE.exec(value);
    if (match) into.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencesIn(v, into);
  }
  return into;
}

function substitute(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const match = REFERENCE.exec(value);
    return match && ids.has(match[1]) ? ids.get(match[1]) : value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  return value;
}

function parseOperation(raw: unknown, index: number): Operation {
  const op = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw as Record<string, unknown> : undefined;
  const method = text(op?.method)?.toUpperCase();
  const bulkId = text(op?.bulkId);
  const fail = (type: 'invalidSyntax' | 'invalidPath' | 'invalidValue', message: string): Malformed =>
    ({ index, method, bulkId, error: scimInvalid(type, `Operations[${index}]: ${message}`, ['body', 'Operations', index]) });
  if (!op) return fail('invalidSyntax', 'an operation is an object with method, path and (except for DELETE) data');
  if (!method || !BULK_METHODS.includes(method)) return fail('invalidSyntax', 'method must be POST, PUT, PATCH or DELETE');
  const path = text(op.path);
  if (!path || !path.startsWith('/') || path.length > 512) return fail('invalidPath', 'path must be a resource path such as /Users or /Groups/{id}');
  if (op.bulkId !== undefined && (!bulkId || bulkId.length > 256)) return fail('invalidValue', 'bulkId must be a non-empty string');
  if (method === 'POST' && !bulkId) return fail('invalidSyntax', 'a POST needs a bulkId');
  if (op.version !== undefined && typeof op.version !== 'string') return fail('invalidValue', 'version must be a string (a meta.version)');
  if (method !== 'DELETE' && (!op.data || typeof op.data !== 'object' || Array.isArray(op.data))) {
    return fail('invalidSyntax', `a ${method} needs data, the resource or PatchOp a single request would send`);
  }
  const refs = new Set(pathReferences(path));
  if (method !== 'DELETE') referencesIn(op.data, refs);
  return { index, method, path, bulkId, version: text(op.version), data: method === 'DELETE' ? undefined : op.data, refs };
}

/** The declaration of a method and path relative to the tenant's base, with its path parameters. */
function targetOf(method: string, path: string): { route: RouteDeclaration; params: Record<string, string> } | undefined {
  for (const route of TARGETS) {
    if (route.method !== method) continue;
    const template = route.path.replace('/scim/v2/{tenant_id}', '');
    const pattern = new RegExp(`^${template.replace(/\{([a-z_]+)\}/g, '(?<$1>[^/]+)')}$`);
    const match = pattern.exec(path);
    if (!match) continue;
    try {
      return { route, params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
    } catch {
      return undefined; // a malformed %-escape names no resource
    }
  }
  return undefined;
}

function errorResult(op: { method?: string; bulkId?: string }, status: number, response: unknown, location?: string): BulkResult {
  return { ...(op.method ? { method: op.method } : {}), ...(op.bulkId ? { bulkId: op.bulkId } : {}), ...(location ? { location } : {}),
    status: String(status), response };
}

const domainErrorResult = (op: { method?: string; bulkId?: string }, error: DomainError, location?: string) => {
  const status = scim.statusOf(error.code);
  return errorResult(op, status, scim.errorBody(status, wireErrorOf(error)), location);
};

/** A 409 the dialect has no scimType for (a bulkId that cannot be resolved). */
const conflictResult = (op: Parsed, detail: string) =>
  errorResult(op, 409, { schemas: [URN.error], status: '409', detail });

/** Reads the whole request; what is wrong with it as a whole (not with one operation) refuses it all. */
function operationsOf(body: unknown, limits: BulkLimits): { operations: Operation[]; failOnErrors?: number } {
  const request = body as { schemas?: unknown; Operations?: unknown[]; failOnErrors?: number };
  if (!Array.isArray(request.schemas) || !request.schemas.includes(URN.bulkRequest)) {
    throw scimInvalid('invalidSyntax', `A bulk request has schemas: ["${URN.bulkRequest}"]`, ['body', 'schemas']);
  }
  const raw = request.Operations ?? [];
  if (raw.length > limits.maxOperations) {
    throw scimTooLarge(`The bulk request has ${raw.length} operations; maxOperations is ${limits.maxOperations} (see /ServiceProviderConfig)`);
  }
  const operations = raw.map(parseOperation);
  const seen = new Set<string>();
  for (const op of operations) {
    if (!('refs' in op) || op.method !== 'POST' || !op.bulkId) continue;
    if (seen.has(op.bulkId)) throw scimInvalid('invalidValue', `bulkId "${op.bulkId.slice(0, 64)}" names two POSTs; each must be unique`, ['body', 'Operations', op.index, 'bulkId']);
    seen.add(op.bulkId);
  }
  return { operations, failOnErrors: request.failOnErrors };
}

/** Runs a bulk request; answers the BulkResponse (200) with one result per operation it processed. */
export async function runBulk(limits: BulkLimits, input: RouteInput, run: RunDeclaration): Promise<RouteResult> {
  const { operations, failOnErrors } = operationsOf(input.body, limits);
  const created = new Map<string, string>(); // bulkId → id
  const failed = new Set<string>();
  // A malformed POST still declares its bulkId: what refers to it fails as on any failed POST (409).
  const declared = new Set(operations.flatMap((op) => (op.method === 'POST' && op.bulkId ? [op.bulkId] : [])));
  const settled = (ref: string) => created.has(ref) || failed.has(ref) || !declared.has(ref);
  const results = new Map<number, BulkResult>();
  let errors = 0;
  const record = (op: Operation, result: BulkResult) => {
    results.set(op.index, result);
    if (Number(result.status) >= 400) {
      errors++;
      if (op.method === 'POST' && op.bulkId) failed.add(op.bulkId);
    }
  };
  const queue = [...operations];
  while (queue.length && !(failOnErrors && errors >= failOnErrors)) {
    const next = queue.findIndex((op) => !('refs' in op) || [...op.refs].every(settled));
    if (next < 0) {
      // Every remaining operation waits for a POST that waits in turn: a cycle (or behind one).
      const op = queue.shift() as Parsed;
      record(op, conflictResult(op, `Operations[${op.index}] waits for bulkIds that wait for it (a cycle); create the resources first, then link them with PATCH`));
      continue;
    }
    const [op] = queue.splice(next, 1);
    record(op, 'refs' in op ? await runOperation(op, limits, created, failed, declared, input, run) : domainErrorResult(op, op.error));
  }
  return {
    body: { schemas: [URN.bulkResponse], Operations: [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r) },
  };
}

async function runOperation(
  op: Parsed, limits: BulkLimits, created: Map<string, string>, failed: Set<string>, declared: Set<string>, input: RouteInput,
  run: RunDeclaration,
): Promise<BulkResult> {
  const unknown = [...op.refs].find((ref) => !declared.has(ref));
  if (unknown !== undefined) {
    return domainErrorResult(op, scimInvalid('invalidValue', `Operations[${op.index}]: bulkId:${unknown.slice(0, 64)} names no POST of this request`));
  }
  const unresolved = [...op.refs].find((ref) => failed.has(ref));
  if (unresolved !== undefined) return conflictResult(op, `Operations[${op.index}]: the POST with bulkId ${unresolved.slice(0, 64)} failed, so bulkId:${unresolved.slice(0, 64)} cannot be resolved`);
  const path = substitutePath(op.path, created);
  const target = targetOf(op.method, path.split('?')[0]);
  if (!target) {
    return domainErrorResult(op, scimInvalid('invalidPath', `Operations[${op.index}]: no ${op.method} ${path.slice(0, 128)}; bulk operations write /Users and /Groups`));
  }
  const location = target.params.id ? `${limits.base}${path}` : undefined;
  try {
    const result = await run(target.route, {
      path: { tenant_id: input.path.tenant_id, ...target.params },
      query: {},
      headers: op.version ? { 'if-match': op.version } : {},
      body: op.data === undefined ? undefined : substitute(op.data, created),
    });
    const resource = result.body as { id?: string; meta?: { location?: string; version?: string } } | undefined;
    if (op.method === 'POST' && op.bulkId && resource?.id) created.set(op.bulkId, resource.id);
    const version = result.headers?.ETag ?? resource?.meta?.version;
    return {
      method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), ...(version ? { version } : {}),
      location: result.headers?.Location ?? resource?.meta?.location ?? location ?? `${limits.base}${path}`, status: String(result.status),
    };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code === 'SERVICE_UNAVAILABLE') throw error;
    return domainErrorResult(op, error, location);
  }
}
