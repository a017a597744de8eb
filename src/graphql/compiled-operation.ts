// The in-process faces (REST declarations, OpenID endpoints) run the same few documents for every
// request: graphql-jit compiles each once, at start-up, into a function, which skips the per-request
// walk of the document that graphql-js's execute() repeats (a tenth of a persons list's CPU).
// Apollo still executes what clients send to /graphql.
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';

export type CompiledOperation = (context: unknown, variables: Record<string, unknown>) => Promise<ExecutionResult>;

/**
 * graphql-jit hands an input object's `undefined` member to resolvers as null, where graphql-js
 * leaves it out; declarations rely on absent meaning "unchanged", so absent it stays.
 */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = withoutUndefined(member);
  return out;
}

export function compileOperationRunner(schema: GraphQLSchema, document: DocumentNode, name: string): CompiledOperation {
  const compiled = compileQuery(schema, document, undefined, { disablingCapturingStackErrors: true });
  if (!isCompiledQuery(compiled)) {
    throw new Error(`${name}: ${(compiled.errors ?? []).map((e) => e.message).join('; ')}`);
  }
  return async (context, variables) => compiled.query(undefined, context, withoutUndefined(variables) as Record<string, unknown>);
}
