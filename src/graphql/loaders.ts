// Batches list fields: one statement per field per request, whatever the number of parents.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Handle } from '../domain/person/handle.entity.ts';
import { findHandlesOfPersons } from '../domain/person/person.queries.ts';
import { Organization } from '../domain/organization/organization.entity.ts';

export interface Loaders {
  handlesByPerson: DataLoader<string, Handle[]>;
  organizationById: DataLoader<string, Organization | null>;
}

function groupBy<T>(ids: readonly string[], items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return ids.map((id) => groups.get(id)!);
}

export function createLoaders(em: EntityManager): Loaders {
  return {
    handlesByPerson: new DataLoader(async (personIds) =>
      groupBy(personIds, await findHandlesOfPersons(em, personIds), (h) => h.person.id)),
    organizationById: new DataLoader(async (ids) => {
      const found = await em.find(Organization, { id: { $in: [...ids] } });
      const byId = new Map(found.map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
