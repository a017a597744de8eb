// The reads and the change every kind of organization-owned row (external credentials, SAML
// providers) offers alike: list oldest first, one by id or the kind's own NotFound, change and save.
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import type { Organization } from './organization.entity.ts';
import { findRowOf, findRowsOf, type OrganizationRow } from './organization-rows.queries.ts';

export interface OwnedRows<T> {
  list(em: EntityManager, org: Organization): Promise<T[]>;
  get(em: EntityManager, org: Organization, id: string): Promise<T>;
  /** Reads row `id` (NotFound first), lets `change` check and apply the change, and saves it. */
  update(em: EntityManager, org: Organization, id: string, change: (row: T) => unknown): Promise<T>;
}

export function ownedRows<T extends OrganizationRow>(entity: EntityName<T>, notFound: (id: string) => Error): OwnedRows<T> {
  const get = async (em: EntityManager, org: Organization, id: string) => {
    const row = await findRowOf(em, entity, org.id, id);
    if (!row) throw notFound(id);
    return row;
  };
  return {
    list: (em, org) => findRowsOf(em, entity, org.id),
    get,
    async update(em, org, id, change) {
      const row = await get(em, org, id);
      await change(row);
      await em.flush();
      return row;
    },
  };
}
