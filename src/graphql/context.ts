import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../domain/principal.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** One per request, shared by /graphql and the REST facade: the em fork, the caller, loaders. */
export interface GraphQLContext {
  em: EntityManager;
  principal: Principal;
  loaders: Loaders;
}

export function createContext(em: EntityManager, principal: Principal): GraphQLContext {
  return { em, principal, loaders: createLoaders(em) };
}
