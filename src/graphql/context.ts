import type { EntityManager } from '@mikro-orm/postgresql';
import { UNKNOWN_CLIENT, type ClientInfo, type Principal } from '../domain/principal.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { AppServices } from '../domain/services.ts';

/** One per request, shared by /graphql and the REST facade: the em fork, the caller, loaders. */
export interface GraphQLContext {
  em: EntityManager;
  principal: Principal;
  loaders: Loaders;
  services: AppServices;
  /** The request's client IP, country and user agent (logins, sessions, key use record them). */
  client: ClientInfo;
  /** The request id (X-Request-Id), recorded with audit events. */
  requestId?: string;
}

export function createContext(
  em: EntityManager, principal: Principal, services: AppServices, client: ClientInfo = UNKNOWN_CLIENT, requestId?: string,
): GraphQLContext {
  return { em, principal, loaders: createLoaders(em, principal.organizationId), services, client, requestId };
}
