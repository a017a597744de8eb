// Serves the issuer table (src/oidc/issuers.ts): one layer per mounted path, for every method,
// so that what an endpoint does not declare is answered in the OAuth dialect (405 with Allow;
// OPTIONS lists the methods, or answers a CORS preflight). A protocol endpoint reads the form or
// query → variables → its document, parsed, validated and compiled once when the router is
// built (src/graphql/compiled-operation.ts) → the raw answer; errors become RFC 6749 bodies
// (src/rest/dialects/oauth.ts).
import Router from '@koa/router';
import type { Context } from 'koa';
import { METHODS as NODE_METHODS } from 'node:http';
import { parse, validate, type DocumentNode, type GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, Unauthenticated } from '../domain/errors.ts';
import { InvalidRequest } from '../domain/oauth/oauth-errors.ts';
import { resolveIssuer, type Issuer } from '../domain/oauth/issuer.ts';
import { ANONYMOUS } from '../domain/auth/access-rule.ts';
import { authenticateAccessToken } from '../domain/auth/access-token.ts';
import type { Principal } from '../domain/principal.ts';
import { createContext } from '../graphql/context.ts';
import { compileOperationRunner } from '../graphql/compiled-operation.ts';
import { documentRulesOf } from '../graphql/auth-gate.ts';
import { databaseUnavailable, isDatabaseUnavailable } from '../http/db-unavailable.ts';
import { answerUndeclaredMethod, wireErrorOf, type Dialect } from '../rest/dialects/dialect.ts';
import { noStore, oauth, writeOAuthError } from '../rest/dialects/oauth.ts';
import { bySpecificity, koaPath } from '../rest/engine.ts';
import { bearerOf, pathOrQueryProblem, queryParams, readForm } from './http.ts';
import { corsOriginFor } from '../domain/organization/allowed-domains.ts';
import type {
  DocumentEndpoint, Endpoint, EndpointRequest, OidcRuntime, ProtocolEndpoint, ProtocolRequest, Reply, ViewEndpoint,
} from './endpoint.ts';
import type { Mount } from './issuers.ts';

const METHODS = [...NODE_METHODS];

type Serve = (ctx: Context, mount: Mount) => Promise<void>;

/** Parses and validates a protocol endpoint's document; a PUBLIC-only check for those that read no credentials. */
function compile(runtime: OidcRuntime, endpoint: ProtocolEndpoint): DocumentNode {
  const document = parse(endpoint.operation);
  const errors = validate(runtime.schema, document);
  if (errors.length) throw new Error(`OIDC endpoint ${endpoint.name}: ${errors.map((e) => e.message).join('; ')}`);
  const rules = documentRulesOf(runtime.schema, document);
  if (endpoint.credentials === 'none' && !rules.every((r) => r.allow.includes('PUBLIC'))) {
    throw new Error(`OIDC endpoint ${endpoint.name} reads no credentials but runs a field that needs them`);
  }
  return document;
}

/** The tenant a mount names before any body is read (a `form` mount learns it from the form). */
function tenantOfPath(ctx: Context, mount: Mount): string | null | undefined {
  if (mount.issuer === 'root') return null;
  return mount.issuer === 'path' ? ctx.params.tenant_id : undefined;
}

function requestOf(ctx: Context, runtime: OidcRuntime, mount: Mount, tenantId: string | null | undefined): EndpointRequest {
  let issuer: Promise<Issuer> | undefined;
  return {
    ctx, runtime, tenantId,
    issuer: () => (mount.issuer === 'none' ? Promise.resolve(undefined)
      : (issuer ??= resolveIssuer(ctx.state.em as EntityManager, runtime.publicUrl(), tenantId))),
  };
}

/** The domain error behind an operation's first error; bad variables are the request's fault. */
function errorOf(errors: readonly GraphQLError[]): Error {
  const first = errors[0];
  if (first.originalError instanceof DomainError) return first.originalError;
  return first.originalError ?? new InvalidRequest(first.message);
}

function writeReply(ctx: Context, reply: Reply, dialect?: Dialect<string>) {
  for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
  if (dialect) return dialect.writeSuccess(ctx, reply.status ?? 200, reply.body);
  ctx.status = reply.status ?? 200;
  ctx.body = reply.body;
}

/** Writes a domain error in the endpoint's dialect; anything else is a bug for the error boundary. */
function writeFailure(ctx: Context, thrown: unknown, dialect: Dialect<string>, bearerChallenge = false) {
  const error = isDatabaseUnavailable(thrown) ? databaseUnavailable() : thrown;
  if (!(error instanceof DomainError)) throw error;
  writeOAuthError(ctx, wireErrorOf(error), dialect);
  // RFC 6750 §3.1: a presented but refused access token is invalid_token.
  if (bearerChallenge && ctx.status === 401 && bearerOf(ctx)) ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
}

function protocol(runtime: OidcRuntime, endpoint: ProtocolEndpoint): Serve {
  const run = compileOperationRunner(runtime.schema, compile(runtime, endpoint), `OIDC endpoint ${endpoint.name}`);
  const dialect = endpoint.dialect ?? oauth;
  const readParams = endpoint.readParams ?? ((ctx: Context) => (ctx.method === 'POST' ? readForm(ctx) : queryParams(ctx)));
  return async (ctx, mount) => {
    noStore(ctx);
    const em = ctx.state.em as EntityManager;
    let tenantId = tenantOfPath(ctx, mount);
    try {
      let request: ProtocolRequest;
      let variables: Record<string, unknown>;
      try {
        const params = await readParams(ctx);
        if (mount.issuer === 'form') tenantId = params.tenant_id ?? ''; // no tenant_id names no realm
        request = { ...requestOf(ctx, runtime, mount, tenantId), params };
        variables = endpoint.variables(request);
      } catch (error) {
        // An unknown realm is a 404 whatever else is wrong with the request.
        if (tenantId != null) await resolveIssuer(em, runtime.publicUrl(), tenantId);
        throw error;
      }
      const client = runtime.clientInfo(ctx);
      let principal: Principal = ANONYMOUS;
      if (endpoint.credentials === 'access_token') {
        const bearer = bearerOf(ctx);
        if (!bearer) throw new Unauthenticated('Send the access token in Authorization: Bearer');
        principal = await authenticateAccessToken(em, bearer, client);
      }
      const result = await run(createContext(em, principal, ctx.state.services, client, ctx.state.requestId), variables);
      if (result.errors?.length) throw errorOf(result.errors);
      writeReply(ctx, endpoint.respond(result.data, request), dialect);
    } catch (thrown) {
      writeFailure(ctx, thrown, dialect, endpoint.credentials === 'access_token');
    }
  };
}

function document(runtime: OidcRuntime, endpoint: DocumentEndpoint): Serve {
  return async (ctx, mount) => {
    try {
      writeReply(ctx, await endpoint.serve(requestOf(ctx, runtime, mount, tenantOfPath(ctx, mount))));
    } catch (thrown) {
      writeFailure(ctx, thrown, oauth);
    }
  };
}

function view(runtime: OidcRuntime, endpoint: ViewEndpoint): Serve {
  return (ctx, mount) => endpoint.view(requestOf(ctx, runtime, mount, tenantOfPath(ctx, mount)));
}

/**
 * Browser apps (public clients) call these directly, without cookies. A tenant's endpoints answer
 * the origins its allowed domains match (any while it lists none); the others answer any origin.
 */
async function allowOrigin(ctx: Context, mount: Mount) {
  const tenantId = tenantOfPath(ctx, mount);
  // Input PostgreSQL cannot store never reaches the lookup (the request is refused just after).
  let allowed: string | undefined = '*';
  if (typeof tenantId === 'string' && !pathOrQueryProblem(ctx)) {
    try {
      allowed = await corsOriginFor(ctx.state.em as EntityManager, tenantId, ctx.get('origin') || undefined);
    } catch (error) {
      // No database, no list: allow no origin, and let the endpoint answer its 503 in its own shape.
      if (!isDatabaseUnavailable(error)) throw error;
      allowed = undefined;
    }
  }
  if (allowed) ctx.set('Access-Control-Allow-Origin', allowed);
  if (allowed !== '*') ctx.vary('Origin');
}

/** Browser apps (public clients) call these directly: any origin, no cookies (they take tokens or client credentials). */
function preflight(ctx: Context) {
  ctx.set('Access-Control-Allow-Methods', 'GET, POST');
  ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  ctx.set('Access-Control-Max-Age', '600');
  ctx.status = 204;
}

export function buildIssuerRouter(mounts: Mount[], ownedPrefixes: string[], runtime: OidcRuntime): Router {
  const serving = new Map<Endpoint, Serve>();
  const serveOf = (endpoint: Endpoint): Serve => {
    let serve = serving.get(endpoint);
    if (!serve) {
      serve = endpoint.kind === 'protocol' ? protocol(runtime, endpoint)
        : endpoint.kind === 'document' ? document(runtime, endpoint) : view(runtime, endpoint);
      serving.set(endpoint, serve);
    }
    return serve;
  };
  const router = new Router();
  const seen = new Set<string>();
  for (const mount of [...mounts].sort((a, b) => bySpecificity(a.path, b.path))) {
    if (seen.has(mount.path)) throw new Error(`Two mounts at ${mount.path}`);
    seen.add(mount.path);
    const { endpoint } = mount;
    const serve = serveOf(endpoint);
    const declared = new Set<string>(endpoint.methods);
    if (declared.has('GET')) declared.add('HEAD');
    // A path whose first segment is a parameter takes only its own methods: the rest belong to
    // whichever router's path they match (e.g. GET /groups/token is the SlashID face's).
    router.register(koaPath(mount.path), mount.passOthers ? [...declared] : METHODS, async (ctx) => {
      if (endpoint.cors) await allowOrigin(ctx, mount);
      if (!declared.has(ctx.method)) {
        if (ctx.method === 'OPTIONS' && endpoint.cors) return preflight(ctx);
        noStore(ctx);
        return answerUndeclaredMethod(ctx, oauth, endpoint.methods);
      }
      // Input PostgreSQL cannot store is refused before any endpoint reads it (forms: readForm).
      const problem = pathOrQueryProblem(ctx);
      if (problem) return writeOAuthError(ctx, { code: 'INVALID_REQUEST', message: problem });
      await serve(ctx, mount);
    });
  }
  // After every mount (a more specific layer answers first): the rest of an owned prefix.
  for (const prefix of ownedPrefixes) {
    router.register(`${prefix}/*rest`, METHODS, (ctx) => {
      noStore(ctx);
      writeOAuthError(ctx, { code: 'NOT_FOUND', status: 404, message: `No endpoint at ${ctx.path}; see the issuer's .well-known/openid-configuration` });
    });
  }
  return router;
}
