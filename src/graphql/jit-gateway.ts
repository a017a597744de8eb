// /graphql executes with graphql-jit, as the REST and OpenID faces already do
// (compiled-operation.ts): the nested persons query spent a fifth of its CPU in graphql-js's
// execute() walking the same document for every request. Apollo Server 5 has no executor option;
// its `gateway` hook is the documented place for one. Apollo still parses, validates, runs the
// plugins (cost limits, guards) and formats errors; only execution changes.
//
// Variables are first coerced by graphql-js, only to report bad ones with graphql-js's own
// messages (which Apollo recognises and answers 400 BAD_USER_INPUT); graphql-jit then coerces
// them again for the compiled function.
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ApolloServerOptions } from '@apollo/server';
import { execute, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';

type Gateway = NonNullable<Extract<ApolloServerOptions<never>, { gateway: unknown }>['gateway']>;

/** Compiled documents kept; the least recently used leaves first (clients send few distinct ones). */
const MAX_COMPILED = 500;

type JitError = Error & {
  locations?: GraphQLError['locations']; path?: ReadonlyArray<string | number>; originalError?: Error; extensions?: GraphQLError['extensions'];
};

/**
 * graphql-jit's errors inherit GraphQLError's prototype without its constructor: `extensions` may be
 * undefined, which Apollo's error formatting does not survive. Rebuilt as real ones, nothing is lost
 * (the resolver's own error stays `originalError`, where formatError finds DomainError codes).
 */
function asGraphQLError(error: JitError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  (rebuilt as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return rebuilt;
}

export function jitGateway(schema: GraphQLSchema): Gateway {
  const compiled = new Map<string, CompiledQuery>();

  function compiledFor(key: string, compile: () => CompiledQuery | ExecutionResult): CompiledQuery | ExecutionResult {
    const hit = compiled.get(key);
    if (hit) {
      compiled.delete(key);
      compiled.set(key, hit);
      return hit;
    }
    const result = compile();
    if (!isCompiledQuery(result)) return result;
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, result);
    return result;
  }

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return {
        executor: async ({ request, document, operation, operationName, queryHash, context }) => {
          const variables = request.variables ?? {};
          // No operation resolved (several and no name, or an unknown name): graphql-js says which, as Apollo expects.
          if (!operation) return execute({ schema, document, operationName: request.operationName, variableValues: variables, contextValue: context });
          const checked = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
          if (checked.errors) return { errors: checked.errors };
          const query = compiledFor(`${queryHash}\n${operationName ?? ''}`,
            () => compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true }));
          if (!isCompiledQuery(query)) return query as ExecutionResult<Record<string, unknown>>;
          const result = await query.query(undefined, context, variables) as ExecutionResult<Record<string, unknown>>;
          return result.errors ? { ...result, errors: result.errors.map((e) => asGraphQLError(e as JitError)) } : result;
        },
      };
    },
    async stop() {},
  };
}
