// /graphql's share of two wire rules (src/domain/storable.ts, src/http/db-unavailable.ts):
// - every string of a request — variables and literals of the document — must be storable, and
//   variables nested at most MAX_JSON_DEPTH deep: refused as a 400 before anything executes;
// - while the database is unavailable the answer is 503 with Retry-After, not 500.
import { GraphQLError, getLocation, visit, BREAK, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { FieldIssue } from '../domain/errors.ts';
import { describeIssue, jsonIssue, unstorableReason } from '../domain/storable.ts';
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './db-unavailable.ts';

/** Each document's literal issue (null: none): Apollo hands the same parsed document to every request that sends the same text. */
const literalIssues = new WeakMap<DocumentNode, FieldIssue | null>();

/** The first string literal of the document PostgreSQL could not store, located by line and column. */
function literalIssue(document: DocumentNode): FieldIssue | undefined {
  let known = literalIssues.get(document);
  if (known === undefined) literalIssues.set(document, known = firstLiteralIssue(document) ?? null);
  return known ?? undefined;
}

function firstLiteralIssue(document: DocumentNode): FieldIssue | undefined {
  let issue: FieldIssue | undefined;
  visit(document, {
    StringValue(node) {
      const reason = unstorableReason(node.value);
      if (!reason) return undefined;
      const at = node.loc ? getLocation(node.loc.source, node.loc.start) : undefined;
      const where = at ? ` (the string at line ${at.line}, column ${at.column})` : '';
      issue = { loc: ['query'], msg: `${reason}${where}`, type: 'string_unicode' };
      return BREAK;
    },
  });
  return issue;
}

/** Refuses unstorable strings and too-deep variables once the operation is known, before execution. */
export const inputGuardPlugin: ApolloServerPlugin<any> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const issue = jsonIssue(request.variables ?? {}, ['variables']) ?? literalIssue(document);
        if (issue) {
          throw new GraphQLError(describeIssue(issue), {
            extensions: { code: 'VALIDATION_FAILED', issues: [issue], http: { status: 400 } },
          });
        }
      },
    };
  },
};

const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** The error for a context that could not be created because the database is unavailable. */
export const unavailableGraphQLError = () => new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, {
  extensions: {
    code: SERVICE_UNAVAILABLE,
    http: { status: 503, headers: new HeaderMap([['retry-after', String(DATABASE_RETRY_AFTER_SECONDS)]]) },
  },
});

/** formatError's answer for an error of an unavailable database (undefined for any other error). */
export function formatUnavailable(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  if (!isDatabaseUnavailable(error)) return undefined;
  return { message: DATABASE_UNAVAILABLE_MESSAGE, extensions: { code: SERVICE_UNAVAILABLE }, path: formatted.path };
}

/** A response with an unavailable-database error is a 503 with Retry-After. */
export const databaseUnavailablePlugin: ApolloServerPlugin<any> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        if (!errors?.some((e) => e.extensions?.code === SERVICE_UNAVAILABLE)) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      },
    };
  },
};
