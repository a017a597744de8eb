// /graphql refuses variables holding a string that is not well-formed Unicode (a lone surrogate,
// which JSON can carry as "\ud800" and PostgreSQL cannot store), as the REST faces refuse such a
// body; a document's own strings never hold one (the parser refuses the escape).
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { LONE_SURROGATE_MESSAGE, loneSurrogatePath, wellFormed } from '../domain/text.ts';

export const wellFormedVariables: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request }) {
        const at = loneSurrogatePath(request.variables ?? {});
        if (!at) return;
        const where = ['variables', ...at.map((k) => (typeof k === 'string' ? wellFormed(k.slice(0, 64)) : k))].join('.');
        throw new GraphQLError(`${where}: ${LONE_SURROGATE_MESSAGE}`, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      },
    };
  },
};
