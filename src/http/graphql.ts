// /graphql: Apollo Server 5 on Koa, with the REST faces' authentication and the same em fork.
import type Koa from 'koa';
import Router from '@koa/router';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { koaMiddleware } from '@as-integrations/koa';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, httpStatusOf } from '../domain/errors.ts';
import { createContext, type GraphQLContext } from '../graphql/context.ts';
import { apolloCostLimits } from '../graphql/cost-limits.ts';
import { jitGateway } from '../graphql/jit-gateway.ts';
import { authenticateAny } from './credentials.ts';
import { errorSummary } from './error-summary.ts';
import { isDatabaseUnavailable } from './db-unavailable.ts';
import { databaseUnavailablePlugin, formatUnavailable, inputGuardPlugin, unavailableGraphQLError } from './graphql-guards.ts';
import type { Logger } from '../log.ts';
import { allowReplicaReads } from '../db/read-routing.ts';
import type { ClientInfoReader } from './client-info.ts';

/**
 * A request that sent no credentials (or bad ones) and got nothing but UNAUTHENTICATED answers
 * 401 with WWW-Authenticate, as the REST faces do; partial results keep GraphQL's 200.
 */
const unauthenticatedAs401: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (data == null && errors?.length && errors.every((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
          response.http.status = 401;
          response.http.headers.set('www-authenticate', 'Bearer');
        }
      },
    };
  },
};

/** A query's reads may go to a replica; a mutation's all go to the primary (src/db/read-routing.ts). */
const replicaReadsForQueries: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (operation?.operation === 'query') allowReplicaReads(contextValue.em);
      },
    };
  },
};

export async function mountGraphQL(app: Koa, schema: GraphQLSchema,
  opts: { bodyParser: Koa.Middleware; log: Logger; clientInfo: ClientInfoReader }) {
  const server = new ApolloServer<GraphQLContext>({
    gateway: jitGateway(schema),
    ...apolloCostLimits,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [
      ...(apolloCostLimits.plugins ?? []), inputGuardPlugin, databaseUnavailablePlugin, unauthenticatedAs401, replicaReadsForQueries,
      // No @cacheControl hints and no federation: their default plugins would only add work to every field.
      ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(),
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const unavailable = formatUnavailable(formatted, error);
      if (unavailable) return unavailable;
      const original = unwrapResolverError(error);
      if (original instanceof DomainError) {
        return { ...formatted, message: original.message, extensions: { code: original.code, issues: original.issues.length ? original.issues : undefined } };
      }
      if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
      opts.log.error('graphql_internal_error', errorSummary(original));
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' }, path: formatted.path };
    },
  });
  await server.start();

  const middleware = koaMiddleware(server, {
    context: async ({ ctx }) => {
      const em = ctx.state.em as EntityManager;
      try {
        const client = opts.clientInfo(ctx);
        return createContext(em, await authenticateAny(em, ctx.headers, client, ctx.state.services?.apiKeys), ctx.state.services, client, ctx.state.requestId);
      } catch (error) {
        if (error instanceof DomainError) {
          throw new GraphQLError(error.message, {
            extensions: { code: error.code, http: { status: httpStatusOf[error.code] ?? 401 } },
          });
        }
        if (isDatabaseUnavailable(error)) throw unavailableGraphQLError();
        throw error;
      }
    },
  });

  const router = new Router();
  router.get('/graphql', middleware);
  router.post('/graphql', opts.bodyParser, middleware);
  app.use(router.routes());
  return { router, stop: () => server.stop() };
}
