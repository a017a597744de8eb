import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../domain/principal.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { AppServices } from '../domain/services.ts';

/** One per request, shared by /graphql and the REST facade: the em fork, the caller, loaders. */
export interface GraphQLContext {
  em: EntityManager;
  principal: Principal;
  loaders: Loaders;
  services: AppServices;
}

export function createContext(em: EntityManager, principal: Principal, services: AppServices): GraphQLContext {
  return { em, principal, loaders: createLoaders(em), services };
}
