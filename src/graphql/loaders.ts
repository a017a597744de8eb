// Batches list fields: one statement per field per request, whatever the number of parents.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Person } from '../domain/person/person.entity.ts';
import { findHandlesOfPersons, findPersonsByIds, type HandleRow } from '../domain/person/person.queries.ts';
import type { Organization } from '../domain/organization/organization.entity.ts';
import { findOrganizationsByIds } from '../domain/organization/organization.queries.ts';
import type { GroupView } from '../domain/access/group.entity.ts';
import type { PermissionView, RoleView } from '../domain/access/rbac.entity.ts';
import {
  additionalPermissionsOfPersons, groupsOfPersons, holderIdsOfRoles, memberIdsOfGroups, permissionsOfRoles,
  rolesOfPersons,
} from '../domain/access/access.queries.ts';
import type { AttributeValue } from '../domain/attribute/attribute.queries.ts';
import { attributesOfPersons } from '../domain/attribute/attribute.service.ts';
import type { Consent } from '../domain/consent/consent.entity.ts';
import { consentsOfPersons } from '../domain/consent/consent.service.ts';
import type { Credential } from '../domain/credential/credential.entity.ts';
import { listCredentials } from '../domain/credential/credential.service.ts';

/**
 * A loader of lists whose loaded lists can also be read synchronously: `get` returns the list
 * itself once its batch has been read (graphql-jit then completes the field without a promise),
 * else the loader's promise. Nothing clears these loaders: they live for one request.
 */
export type ListLoader<V> = DataLoader<string, V[]> & {
  get(key: string): V[] | Promise<V[]>;
  /**
   * Reads the lists of those `keys` not read yet, in one batch, without a promise per key (a page's
   * prefetch). A failed read is not kept: the fields then load their keys and report the error.
   */
  fill(keys: readonly string[]): Promise<void>;
  /** The list of `key` when read already. */
  peek(key: string): V[] | undefined;
};

export interface Loaders {
  handlesByPerson: ListLoader<HandleRow>;
  organizationById: DataLoader<string, Organization | null>;
  personById: DataLoader<string, Person | null>;
  groupsByPerson: ListLoader<GroupView>;
  rolesByPerson: ListLoader<RoleView>;
  permissionsByRole: ListLoader<PermissionView>;
  additionalPermissionsByPerson: ListLoader<PermissionView>;
  memberIdsByGroup: DataLoader<string, string[]>;
  holderIdsByRole: DataLoader<string, string[]>;
  attributesByPerson: ListLoader<AttributeValue>;
  consentByPerson: ListLoader<Consent>;
  credentialsByPerson: ListLoader<Credential>;
}

function groupBy<T>(ids: readonly string[], items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return ids.map((id) => groups.get(id)!);
}

function readableLoader<V>(batch: (keys: readonly string[]) => Promise<V[][]>): ListLoader<V> {
  const loaded = new Map<string, V[]>();
  const loader = new DataLoader<string, V[]>(async (keys) => {
    const lists = await batch(keys);
    for (let i = 0; i < keys.length; i++) loaded.set(keys[i], lists[i]);
    return lists;
  }) as ListLoader<V>;
  // A list filled in (below) is the loader's answer for its key, to `load` as well.
  const load = loader.load.bind(loader);
  loader.load = (key) => {
    const list = loaded.get(key);
    return list ? Promise.resolve(list) : load(key);
  };
  loader.get = (key) => loaded.get(key) ?? load(key);
  loader.peek = (key) => loaded.get(key);
  loader.fill = async (keys) => {
    const missing = [...new Set(keys)].filter((key) => !loaded.has(key));
    if (missing.length === 0) return;
    let lists: V[][];
    try {
      lists = await batch(missing);
    } catch {
      return;
    }
    for (let i = 0; i < missing.length; i++) if (!loaded.has(missing[i])) loaded.set(missing[i], lists[i]);
  };
  return loader;
}

/** A loader of lists: `fetch` returns [key, value] pairs for all keys in one statement. */
function listLoader<V>(fetch: (keys: readonly string[]) => Promise<[string, V][]>) {
  return readableLoader<V>(async (keys) =>
    groupBy(keys, await fetch(keys), ([key]) => key).map((pairs) => pairs.map(([, value]) => value)));
}

/** `organizationId`: the caller's organization, whose group and RBAC pools a person's groups, roles and permissions are read from. */
export function createLoaders(em: EntityManager, organizationId: string): Loaders {
  return {
    handlesByPerson: readableLoader(async (personIds) =>
      groupBy(personIds, await findHandlesOfPersons(em, personIds), (h) => h.personId)),
    organizationById: new DataLoader(async (ids) => {
      const found = await findOrganizationsByIds(em, ids);
      const byId = new Map(found.map((o) => [o.id, o]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    personById: new DataLoader(async (ids) => {
      const found = await findPersonsByIds(em, ids);
      const byId = new Map(found.map((p) => [p.id, p]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    groupsByPerson: listLoader(async (ids) => (await groupsOfPersons(em, ids, organizationId)).map((r) => [r.personId, r.group])),
    rolesByPerson: listLoader(async (ids) => (await rolesOfPersons(em, ids, organizationId, true)).map((r) => [r.personId, r.role])),
    permissionsByRole: listLoader(async (ids) => (await permissionsOfRoles(em, ids)).map((r) => [r.roleId, r.permission])),
    additionalPermissionsByPerson: listLoader(async (ids) =>
      (await additionalPermissionsOfPersons(em, ids, organizationId, true)).map((r) => [r.personId, r.permission])),
    memberIdsByGroup: listLoader(async (ids) => (await memberIdsOfGroups(em, ids, organizationId)).map((r) => [r.group_id, r.person_id])),
    holderIdsByRole: listLoader(async (ids) => (await holderIdsOfRoles(em, ids, organizationId)).map((r) => [r.role_id, r.person_id])),
    attributesByPerson: listLoader(async (ids) => (await attributesOfPersons(em, ids)).map((a) => [a.personId, a])),
    credentialsByPerson: listLoader(async (ids) => (await listCredentials(em, ids)).map((c) => [c.person.id, c])),
    consentByPerson: listLoader(async (ids) => (await consentsOfPersons(em, ids)).map((c) => [c.person.id, c])),
  };
}
