// Serves every route declaration: authenticate → read body → validate → run the GraphQL
// operation in process → let the dialect write the response. Documents are parsed, validated and
// compiled (graphql-jit) once, when the router is built.
import Router from '@koa/router';
import type { Context } from 'koa';
import { Kind, OperationTypeNode, parse, validate, type DocumentNode, type GraphQLSchema, GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, ValidationFailed } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import { compileOperationRunner, type CompiledOperation } from '../graphql/compiled-operation.ts';
import { createContext } from '../graphql/context.ts';
import { authenticateSlashId, authenticateSlashIdKey, authenticateVault } from '../http/credentials.ts';
import type { Logger } from '../log.ts';
import type { ClientInfo } from '../domain/principal.ts';
import { UNKNOWN_CLIENT } from '../domain/principal.ts';
import { NO_BODY, readJsonBody } from './body.ts';
import { readMultipartFile, type MultipartFile } from './multipart.ts';
import type { RouteDeclaration, RouteInput, RunDeclaration } from './route.ts';
import { answerUndeclaredMethod, wireErrorOf, writeError } from './dialects/dialect.ts';
import { METHODS as NODE_METHODS } from 'node:http';

const METHODS = [...NODE_METHODS];
import { ANONYMOUS, admitsCaller, type AccessRule } from '../domain/auth/access-rule.ts';
import { documentRulesOf } from '../graphql/auth-gate.ts';
import { compileValidator } from './validation.ts';
import { allowReplicaReads, mayReadReplica } from '../db/read-routing.ts';
import { databaseUnavailable, isDatabaseUnavailable } from '../http/db-unavailable.ts';

export interface EngineOptions {
  schema: GraphQLSchema;
  /** Limit of JSON bodies (MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Limit of streamed multipart bodies (MAX_IMPORT_BYTES). */
  maxUploadBytes: number;
  log: Logger;
  /** Reads the client's IP, country and user agent (src/http/client-info.ts). */
  clientInfo?: (ctx: Context) => ClientInfo;
}

/** Parses and validates a declaration's document; throws naming the route when it is invalid. */
export function compileOperation(schema: GraphQLSchema, route: RouteDeclaration): DocumentNode {
  const document = parse(route.operation);
  const errors = validate(schema, document);
  if (errors.length) {
    throw new Error(`Route ${route.method} ${route.path} (${route.operationId}): ${errors.map((e) => e.message).join('; ')}`);
  }
  return document;
}

export function koaPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

async function principalFor(route: RouteDeclaration, em: EntityManager, ctx: Context, client: ClientInfo): Promise<Principal> {
  switch (route.auth) {
    case 'slashid_org_key': return authenticateSlashId(em, ctx.headers, ctx.state.services?.apiKeys);
    case 'slashid_api_key': return authenticateSlashIdKey(em, ctx.headers);
    case 'vault_api_key': return authenticateVault(em, ctx.headers, client);
    case 'none': return ANONYMOUS;
    default: throw new Error(`Route ${route.operationId} declares no auth`);
  }
}

/**
 * The rules of the operation a route runs, root and nested fields (the schema's `@auth`, never a
 * rule of the route's own). A route that reads no credentials may only run public fields.
 */
function routeRules(schema: GraphQLSchema, route: RouteDeclaration, document: DocumentNode): AccessRule[] {
  const rules = documentRulesOf(schema, document);
  const isPublic = rules.every((r) => r.allow.includes('PUBLIC'));
  if (route.auth === 'none' && !isPublic) {
    throw new Error(`Route ${route.method} ${route.path} reads no credentials but runs a field that needs them`);
  }
  return rules;
}

/** The DomainError behind a GraphQL result's first error, or a validation error for bad variables. */
function domainErrorOf(errors: readonly GraphQLError[]): DomainError | Error {
  const first = errors[0];
  if (first.originalError instanceof DomainError) return first.originalError;
  if (first.extensions?.code === 'VALIDATION_FAILED' || (!first.originalError && !first.path)) {
    return new ValidationFailed(first.message, [{ loc: ['body'], msg: first.message, type: 'value_error' }]);
  }
  return first.originalError ?? first;
}

/**
 * Orders path templates so that a more specific one is tried first: at the first segment where two
 * differ, a literal beats a parameter (`/tenants/{t}/users/batch` before `/tenants/{t}/users/{user_id}`).
 */
export function bySpecificity(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i].startsWith('{');
    const pb = sb[i].startsWith('{');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return sb.length - sa.length;
}

type Handler = (ctx: Context) => Promise<void>;

export function buildRestRouter(
  routes: RouteDeclaration[], { schema, maxBodyBytes, maxUploadBytes, log, clientInfo }: EngineOptions,
): Router {
  const byPath = new Map<string, Map<string, { route: RouteDeclaration; handle: Handler }>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Map();
    if (methods.has(route.method)) throw new Error(`Two declarations for ${route.method} ${route.path}`);
    if (!['slashid_org_key', 'slashid_api_key', 'vault_api_key', 'none'].includes(route.auth)) {
      throw new Error(`Route ${route.method} ${route.path} must declare auth`);
    }
    methods.set(route.method, { route, handle: handlerOf(route, { schema, maxBodyBytes, maxUploadBytes, log, clientInfo }) });
    byPath.set(route.path, methods);
  }
  const router = new Router();
  // One layer per path, for every method Node parses: the path's own dialect answers the methods it
  // does not declare (405 with Allow; OPTIONS lists them), and a layer never falls through to a
  // less specific path.
  for (const path of [...byPath.keys()].sort(bySpecificity)) {
    const methods = byPath.get(path)!;
    const dialect = methods.values().next().value!.route.dialect;
    router.register(koaPath(path), METHODS, async (ctx) => {
      const declared = methods.get(ctx.method) ?? (ctx.method === 'HEAD' ? methods.get('GET') : undefined);
      if (!declared) return answerUndeclaredMethod(ctx, dialect, methods.keys());
      await declared.handle(ctx);
    });
  }
  log.debug('rest_routes', { count: routes.length });
  return router;
}

/** `readOnly`: the document is a query, so its reads may go to a replica (src/db/read-routing.ts). */
interface Compiled { run: CompiledOperation; rules: AccessRule[]; check: (input: RouteInput) => void; readOnly: boolean }
const compiledRoutes = new WeakMap<RouteDeclaration, Compiled>();

/** A declaration's document, rules and validator, compiled once (at start-up, or when a dispatch first runs it). */
function compiledOf(schema: GraphQLSchema, route: RouteDeclaration): Compiled {
  let compiled = compiledRoutes.get(route);
  if (!compiled) {
    const document = compileOperation(schema, route);
    compiled = {
      run: compileOperationRunner(schema, document, `Route ${route.method} ${route.path}`),
      rules: routeRules(schema, route, document), check: compileValidator(route),
      readOnly: document.definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === OperationTypeNode.QUERY),
    };
    compiledRoutes.set(route, compiled);
  }
  return compiled;
}

/** Runs `route` for `input` as its own request would, after the caller was authenticated. */
async function runRoute(
  schema: GraphQLSchema, route: RouteDeclaration, input: RouteInput, em: EntityManager, ctx: Context, principal: Principal, client: ClientInfo,
  replicaOk = true,
) {
  const { run, rules, check, readOnly } = compiledOf(schema, route);
  for (const rule of rules) admitsCaller(rule, principal);
  if (readOnly && replicaOk) allowReplicaReads(em);
  check(input);
  const variableValues = route.variables(input);
  const result = await run(createContext(em, principal, ctx.state.services, client, ctx.state.requestId), variableValues);
  if (result.errors?.length) throw domainErrorOf(result.errors);
  if (route.dispatch) {
    // Each declaration it runs gets an entity manager of its own, as a request of its own would.
    const runOther: RunDeclaration = async (other, otherInput) => {
      // After a write, what it runs next reads from the primary too (read-your-writes).
      const response = await runRoute(schema, other, otherInput, em.fork(), ctx, principal, client, replicaOk && readOnly && mayReadReplica(em));
      return { ...response, status: response.status ?? other.status };
    };
    return route.dispatch(result.data, input, runOther);
  }
  return route.respond(result.data, input, variableValues);
}

function handlerOf(route: RouteDeclaration, { schema, maxBodyBytes, maxUploadBytes, clientInfo }: EngineOptions): Handler {
  const { rules } = compiledOf(schema, route);
  const { dialect } = route;
  const bodyLimit = Math.min(maxBodyBytes, (route.body?.kind !== 'multipart' && route.body?.maxBytes) || Infinity);
  return async (ctx) => {
    const em = ctx.state.em as EntityManager;
    let multipart: MultipartFile | undefined;
    try {
      const client = clientInfo ? clientInfo(ctx) : UNKNOWN_CLIENT;
      const principal = await principalFor(route, em, ctx, client);
      // Refused before the body is read; the gate decides again, with the arguments, at execution.
      for (const rule of rules) admitsCaller(rule, principal);
      let body: unknown = NO_BODY;
      if (route.body?.kind === 'multipart') {
        multipart = await readMultipartFile(ctx, route.body.file, maxUploadBytes);
        body = { [route.body.file]: multipart.upload };
      } else if (route.body) {
        body = await readJsonBody(ctx, bodyLimit);
      }
      const input: RouteInput = { path: { ...ctx.params }, query: { ...ctx.query }, headers: ctx.headers as Record<string, string | undefined>, body };
      const response = await runRoute(schema, route, input, em, ctx, principal, client);
      for (const [name, value] of Object.entries(response.headers ?? {})) ctx.set(name, value);
      if (response.raw !== undefined) {
        ctx.status = response.status ?? route.status;
        ctx.type = response.contentType ?? route.responseContentType ?? 'application/octet-stream';
        ctx.body = response.raw;
      } else {
        dialect.writeSuccess(ctx, response.status ?? route.status, response.body, response.meta);
      }
    } catch (thrown) {
      const error = isDatabaseUnavailable(thrown) ? databaseUnavailable() : thrown;
      if (!(error instanceof DomainError)) throw error; // the error boundary logs and answers 500
      writeError(ctx, dialect, wireErrorOf(error));
    } finally {
      multipart?.drain();
    }
  };
}
