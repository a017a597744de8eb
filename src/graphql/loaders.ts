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
import { personListsOf, type PersonLists, type PersonListsWanted } from '../domain/person/person-lists.queries.ts';
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
  /** Keeps lists read elsewhere (a page's prefetch) as the loader's answers for `keys`, unless it has its own. */
  keep(keys: readonly string[], lists: V[][]): void;
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
  /**
   * Reads the wanted lists of a page of persons in one statement and keeps them in their loaders,
   * so the page's fields resolve without a promise each. A failed read keeps nothing: each field
   * then loads (and reports) its own.
   */
  fillPersonLists(personIds: readonly string[], want: PersonListsWanted): Promise<void>;
}

/** Each id's position in `ids` (the last, for an id given twice). */
function positionsOf(ids: readonly string[]): Map<string, number> {
  const positions = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) positions.set(ids[i], i);
  return positions;
}

/**
 * For each id, the values of the rows that name it (rows grouped in one pass, no pairs built).
 * `positions` (positionsOf(ids)) may be shared by several lists of the same ids.
 */
function groupBy<T, V = T>(
  ids: readonly string[], rows: readonly T[], keyOf: (row: T) => string, valueOf: (row: T) => V = (row) => row as unknown as V,
  positions = positionsOf(ids),
): V[][] {
  const groups: V[][] = [];
  for (let i = 0; i < ids.length; i++) groups.push([]);
  for (const row of rows) {
    const at = positions.get(keyOf(row));
    if (at !== undefined) groups[at].push(valueOf(row));
  }
  // An id given twice gets the same list at both places.
  return positions.size === ids.length ? groups : ids.map((id, i) => groups[positions.get(id) ?? i]);
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
  loader.keep = (keys, lists) => {
    for (let i = 0; i < keys.length; i++) if (!loaded.has(keys[i])) loaded.set(keys[i], lists[i]);
  };
  return loader;
}

/** A loader of lists: `fetch` reads the rows of all keys in one statement; each row names its key and holds a value. */
function listLoader<T, V>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string, valueOf: (row: T) => V) {
  return readableLoader<V>(async (keys) => groupBy(keys, await fetch(keys), keyOf, valueOf));
}

type LoaderName = Exclude<keyof Loaders, 'fillPersonLists'>;
const byPerson = (row: { personId: string }) => row.personId;
type LoaderFactories = { [K in LoaderName]: (em: EntityManager, organizationId: string) => Loaders[K] };

/** `organizationId`: the caller's organization, whose group and RBAC pools a person's groups, roles and permissions are read from. */
const factories: LoaderFactories = {
  handlesByPerson: (em) => readableLoader(async (personIds) =>
    groupBy(personIds, await findHandlesOfPersons(em, personIds), (h) => h.personId)),
  organizationById: (em) => new DataLoader(async (ids) => {
    const found = await findOrganizationsByIds(em, ids);
    const byId = new Map(found.map((o) => [o.id, o]));
    return ids.map((id) => byId.get(id) ?? null);
  }),
  personById: (em) => new DataLoader(async (ids) => {
    const found = await findPersonsByIds(em, ids);
    const byId = new Map(found.map((p) => [p.id, p]));
    return ids.map((id) => byId.get(id) ?? null);
  }),
  groupsByPerson: (em, org) => listLoader((ids) => groupsOfPersons(em, ids, org), byPerson, (r) => r.group),
  rolesByPerson: (em, org) => listLoader((ids) => rolesOfPersons(em, ids, org, true), byPerson, (r) => r.role),
  permissionsByRole: (em) => listLoader((ids) => permissionsOfRoles(em, ids), (r) => r.roleId, (r) => r.permission),
  additionalPermissionsByPerson: (em, org) =>
    listLoader((ids) => additionalPermissionsOfPersons(em, ids, org, true), byPerson, (r) => r.permission),
  memberIdsByGroup: (em, org) => listLoader((ids) => memberIdsOfGroups(em, ids, org), (r) => r.group_id, (r) => r.person_id),
  holderIdsByRole: (em, org) => listLoader((ids) => holderIdsOfRoles(em, ids, org), (r) => r.role_id, (r) => r.person_id),
  attributesByPerson: (em) => listLoader((ids) => attributesOfPersons(em, ids), byPerson, (a) => a),
  credentialsByPerson: (em) => listLoader((ids) => listCredentials(em, ids), (c) => c.person.id, (c) => c),
  consentByPerson: (em) => listLoader((ids) => consentsOfPersons(em, ids), (c) => c.person.id, (c) => c),
};

/** Keeps lists read elsewhere as the loader's answers for `keys` (rows of all keys; none read: nothing kept). */
function keepAll<T, V>(
  loader: ListLoader<V>, keys: readonly string[], rows: T[] | undefined, keyOf: (row: T) => string, valueOf: (row: T) => V,
  positions?: Map<string, number>,
) {
  if (rows) loader.keep(keys, groupBy(keys, rows, keyOf, valueOf, positions));
}

/**
 * A request's loaders, each made on first use: most requests (a token, a person by id) touch one
 * or none, and making all twelve, with their maps, was a tenth of a token request's garbage.
 */
class RequestLoaders implements Loaders {
  private readonly em: EntityManager;
  private readonly organizationId: string;
  private readonly made: { [K in LoaderName]?: Loaders[K] } = {};

  constructor(em: EntityManager, organizationId: string) {
    this.em = em;
    this.organizationId = organizationId;
  }

  loader<K extends LoaderName>(name: K): Loaders[K] {
    return (this.made[name] ??= factories[name](this.em, this.organizationId)) as Loaders[K];
  }

  async fillPersonLists(personIds: readonly string[], want: PersonListsWanted) {
    const ids = [...new Set(personIds)];
    if (ids.length === 0 || !Object.values(want).some(Boolean)) return;
    let lists: PersonLists;
    try {
      lists = await personListsOf(this.em, ids, this.organizationId, want);
    } catch {
      return;
    }
    const positions = positionsOf(ids); // one index of the page's ids for all its lists
    keepAll(this.loader('handlesByPerson'), ids, lists.handles, byPerson, (h) => h, positions);
    keepAll(this.loader('groupsByPerson'), ids, lists.groups, byPerson, (r) => r.group, positions);
    keepAll(this.loader('rolesByPerson'), ids, lists.roles, byPerson, (r) => r.role, positions);
    keepAll(this.loader('additionalPermissionsByPerson'), ids, lists.additionalPermissions, byPerson, (r) => r.permission, positions);
    keepAll(this.loader('attributesByPerson'), ids, lists.attributes, byPerson, (a) => a, positions);
    if (lists.roles && lists.rolePermissions) {
      const roleIds = [...new Set(lists.roles.map((r) => r.role.id))];
      keepAll(this.loader('permissionsByRole'), roleIds, lists.rolePermissions, (r) => r.roleId, (r) => r.permission);
    }
  }
}
// Each loader is a getter on the prototype (declared to TypeScript by the interface below):
// nothing is allocated for a loader a request never reads.
interface RequestLoaders extends Pick<Loaders, LoaderName> {}
for (const name of Object.keys(factories) as LoaderName[]) {
  Object.defineProperty(RequestLoaders.prototype, name, { get(this: RequestLoaders) { return this.loader(name); } });
}

export function createLoaders(em: EntityManager, organizationId: string): Loaders {
  return new RequestLoaders(em, organizationId);
}
