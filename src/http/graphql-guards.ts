// /graphql's share of the wire rule of src/domain/storable.ts: every string of a request —
// variables and literals of the document — must be storable, and variables nested at most
// MAX_JSON_DEPTH deep; anything else is refused as a 400 before anything executes.
import { GraphQLError, getLocation, visit, BREAK, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FieldIssue } from '../domain/errors.ts';
import { describeIssue, jsonIssue, unstorableReason } from '../domain/storable.ts';

/** The first string literal of the document PostgreSQL could not store, located by line and column. */
function literalIssue(document: DocumentNode): FieldIssue | undefined {
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
