// Serves every route declaration: authenticate → read body → validate → execute the GraphQL
// operation in process → let the dialect write the response. Documents are parsed and validated
// once, when the router is built.
import Router from '@koa/router';
import type { Context } from 'koa';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema, GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, ValidationFailed } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import { createContext } from '../graphql/context.ts';
import { authenticateSlashId, authenticateSlashIdKey, authenticateVault } from '../http/credentials.ts';
import type { Logger } from '../log.ts';
import type { ClientInfo } from '../domain/principal.ts';
import { UNKNOWN_CLIENT } from '../domain/principal.ts';
import { NO_BODY, readJsonBody } from './body.ts';
import { readMultipartFile, type MultipartFile } from './multipart.ts';
import type { RouteDeclaration, RouteInput } from './route.ts';
import { compileValidator } from './validation.ts';
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

async function principalFor(route: RouteDeclaration, em: EntityManager, ctx: Context, client: ClientInfo): Promise<Principal | undefined> {
  switch (route.auth) {
    case 'slashid_org_key': return authenticateSlashId(em, ctx.headers);
    case 'slashid_api_key': return authenticateSlashIdKey(em, ctx.headers);
    case 'vault_api_key': return authenticateVault(em, ctx.headers, client);
    case 'none': return undefined;
    default: throw new Error(`Route ${route.operationId} declares no auth`);
  }
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

export function buildRestRouter(
  routes: RouteDeclaration[], { schema, maxBodyBytes, maxUploadBytes, log, clientInfo }: EngineOptions,
): Router {
  const router = new Router();
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`Two declarations for ${key}`);
    seen.add(key);
    if (!['slashid_org_key', 'slashid_api_key', 'vault_api_key', 'none'].includes(route.auth)) {
      throw new Error(`Route ${key} must declare auth`);
    }
    const document = compileOperation(schema, route);
    const check = compileValidator(route);
    const { dialect } = route;

    router.register(koaPath(route.path), [route.method], async (ctx) => {
      const em = ctx.state.em as EntityManager;
      let multipart: MultipartFile | undefined;
      try {
        const client = clientInfo ? clientInfo(ctx) : UNKNOWN_CLIENT;
        const principal = await principalFor(route, em, ctx, client);
        let body: unknown = NO_BODY;
        if (route.body?.kind === 'multipart') {
          multipart = await readMultipartFile(ctx, route.body.file, maxUploadBytes);
          body = { [route.body.file]: multipart.upload };
        } else if (route.body) {
          body = await readJsonBody(ctx, maxBodyBytes);
        }
        const input: RouteInput = { path: { ...ctx.params }, query: { ...ctx.query }, headers: ctx.headers as Record<string, string | undefined>, body };
        check(input);
        const result = await execute({
          schema, document,
          contextValue: createContext(em, principal ?? { organizationId: '', method: 'bearer' }, ctx.state.services, client),
          variableValues: route.variables(input),
        });
        if (result.errors?.length) throw domainErrorOf(result.errors);
        const response = route.respond(result.data, input);
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
        if ('retryAfterSeconds' in error) ctx.set('Retry-After', String(error.retryAfterSeconds));
        dialect.writeError(ctx, dialect.statusOf(error.code), error.code, error.message, error.issues);
        if (error.code === 'UNAUTHENTICATED') ctx.set('WWW-Authenticate', dialect.name === 'slashid' ? 'SlashID-API-Key' : 'Bearer');
      } finally {
        multipart?.drain();
      }
    });
  }
  log.debug('rest_routes', { count: routes.length });
  return router;
}
