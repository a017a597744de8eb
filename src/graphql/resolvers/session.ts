import type { Resolvers } from '../generated/types.ts';
import { endPersonSession, listSessions } from '../../domain/session/session.service.ts';
import { parseUserAgent } from '../../domain/session/user-agent.ts';
import { Unauthenticated } from '../../domain/errors.ts';
import { getPersonById } from '../../domain/person/person.service.ts';
import type { Principal } from '../../domain/principal.ts';

/** The person the principal acts as; UNAUTHENTICATED for an organization key. */
export function mePersonId(principal: Principal): string {
  if (!principal.personId) throw new Unauthenticated("This needs a user's credentials (a per-user API key or a user's access token)");
  return principal.personId;
}


export const sessionResolvers: Resolvers = {
  Query: {
    me: async (_, __, { em, principal }) => getPersonById(em, mePersonId(principal)),
  },
  Mutation: {
    endMySession: (_, { id }, { em, principal }) => endPersonSession(em, mePersonId(principal), id),
  },
  Person: {
    sessions: (person, _, { em }) => listSessions(em, person.id),
  },
  Session: {
    person: async (session, _, { em }) => getPersonById(em, session.person.id),
    organization: async (session, _, { loaders }) => (await loaders.organizationById.load(session.organization.id))!,
  },
  AccessPoint: {
    at: (point) => new Date(point.at),
    userAgentParsed: (point) => parseUserAgent(point.userAgent),
  },
};
