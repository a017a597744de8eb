import type { Resolvers } from '../generated/types.ts';
import { endSession, listSessions } from '../../domain/session/session.service.ts';
import { parseUserAgent } from '../../domain/session/user-agent.ts';
import { requireScope } from '../../domain/auth/scopes.ts';
import { Forbidden, Unauthenticated } from '../../domain/errors.ts';
import { Person } from '../../domain/person/person.entity.ts';
import type { Principal } from '../../domain/principal.ts';

/** The person the principal acts as; UNAUTHENTICATED for an organization key. */
export function mePersonId(principal: Principal): string {
  if (!principal.personId) throw new Unauthenticated("This needs a user's credentials (a per-user API key or a user's access token)");
  return principal.personId;
}

/** A person's own data: the person itself, or an organization key that manages it. */
export function assertSelfOrOrganization(principal: Principal, personId: string) {
  if (principal.personId !== undefined && principal.personId !== personId) {
    throw new Forbidden("A user's credentials reach only that user's own sessions and keys");
  }
}

export const sessionResolvers: Resolvers = {
  Query: {
    me: async (_, __, { em, principal }) => em.findOneOrFail(Person, { id: mePersonId(principal) }),
  },
  Mutation: {
    endMySession: (_, { id }, { em, principal }) => {
      requireScope(principal, 'sessions:write');
      return endSession(em, mePersonId(principal), id);
    },
  },
  Person: {
    sessions: (person, _, { em, principal }) => {
      requireScope(principal, 'sessions:read');
      assertSelfOrOrganization(principal, person.id);
      return listSessions(em, person.id);
    },
  },
  Session: {
    person: async (session, _, { em }) => em.findOneOrFail(Person, { id: session.person.id }),
    organization: async (session, _, { loaders }) => (await loaders.organizationById.load(session.organization.id))!,
  },
  AccessPoint: {
    at: (point) => new Date(point.at),
    userAgentParsed: (point) => parseUserAgent(point.userAgent),
  },
};
