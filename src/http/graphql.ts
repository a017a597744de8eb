// /graphql: Apollo Server 5 on Koa, with the REST faces' authentication and the same em fork.
import type Koa from 'koa';
import Router from '@koa/router';
import { ApolloServer } from '@apollo/server';
import { koaMiddleware } from '@as-integrations/koa';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, httpStatusOf } from '../domain/errors.ts';
import { createContext, type GraphQLContext } from '../graphql/context.ts';
import { authenticateAny } from './credentials.ts';
import { errorSummary } from './error-summary.ts';
import { isDatabaseUnavailable } from './db-unavailable.ts';
import { databaseUnavailablePlugin, formatUnavailable, inputGuardPlugin, unavailableGraphQLError } from './graphql-guards.ts';
import type { Logger } from '../log.ts';
import type { ClientInfoReader } from './client-info.ts';

export async function mountGraphQL(app: Koa, schema: GraphQLSchema,
  opts: { bodyParser: Koa.Middleware; log: Logger; clientInfo: ClientInfoReader }) {
  const server = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [inputGuardPlugin, databaseUnavailablePlugin],
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
        return createContext(em, await authenticateAny(em, ctx.headers, client), ctx.state.services, client);
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
  return { stop: () => server.stop() };
}
