// Data access for persons and handles. Rules live in person.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Handle, Person, type PersonView } from './person.entity.ts';
import { caseFolded, normalizeHandle } from './handles.ts';
import { isUuidShaped } from '../ids.ts';
import { asDate } from '../../db/rows.ts';
import { readOptions } from '../../db/read-routing.ts';
import { executePrepared } from '../../db/prepared.ts';
import { asKeys, runRead, type Keys, type ListRead } from '../list-reads.queries.ts';
import { filterToSql, parseScimFilter } from './scim-filter.ts';
import { boundaryAtOrBelow, forgetStale, listKey, rememberBoundary } from './page-boundaries.ts';
import { layMarkers, MARKERS_FROM } from './page-markers.queries.ts';
import type { HandleInput, PersonFilter, PersonOrder } from '../schema-types.generated.ts';
import { poolOwnerSql } from '../organization/pools.ts';

export interface PersonPage {
  persons: PersonView[];
  offset: number;
  totalCount: number;
}

export interface PageRequest {
  organizationId: string;
  limit: number;
  offset: number;
  filter?: PersonFilter | null;
  orderBy?: PersonOrder | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

const firstHandleOf = (type: string) =>
  `(select h.normalized from handle h where h.person_id = p.id and h.type = '${type}' order by h.created_at, h.id limit 1)`;

interface PersonRow {
  id: string; organization_id: string; active: boolean; region: Person['region']; person_type: Person['personType'];
  is_verified: boolean; locale: string | null; external_id: string | null; scim_profile: Person['scimProfile'];
  created_at: Date | string; updated_at: Date | string; total: string;
}

const personColumns = (alias: string) => ['id', 'organization_id', 'active', 'region', 'person_type', 'is_verified', 'locale',
  'external_id', 'scim_profile', 'created_at', 'updated_at'].map((column) => `${alias}.${column}`).join(', ');
const PERSON_COLUMNS = personColumns('p');

/**
 * A person read as a plain row. Its timestamps stay the strings PostgreSQL sent until a field asks
 * for them: a page of 100 persons built 200 Date objects that most answers (the REST list) never read.
 */
class PersonRowView implements PersonView {
  readonly id: string; readonly organization: { id: string }; readonly active: boolean; readonly region: Person['region'];
  readonly personType: Person['personType']; readonly isVerified: boolean; readonly locale: string | null;
  readonly externalId: string | null; readonly scimProfile: Person['scimProfile'];
  private readonly createdRaw: Date | string; private readonly updatedRaw: Date | string;
  constructor(row: PersonRow) {
    this.id = row.id; this.organization = { id: row.organization_id }; this.active = row.active; this.region = row.region;
    this.personType = row.person_type; this.isVerified = row.is_verified; this.locale = row.locale;
    this.externalId = row.external_id; this.scimProfile = row.scim_profile;
    this.createdRaw = row.created_at; this.updatedRaw = row.updated_at;
  }
  get createdAt(): Date { return asDate(this.createdRaw)!; }
  get updatedAt(): Date { return asDate(this.updatedRaw)!; }
}
const personViewOf = (row: PersonRow): PersonView => new PersonRowView(row);

/** The organization whose persons an organization (bound parameter) sees: its person pool's owner, else itself. */
const POOL_OWNER = poolOwnerSql('personsPool');
export { POOL_OWNER as PERSONS_POOL_OWNER };

/**
 * One page of an organization's persons and the total that match, in one statement. The persons
 * are those of the organization's person pool (stored with the pool's owner).
 */
export async function findPersonPage(em: EntityManager, req: PageRequest): Promise<PersonPage> {
  const where: string[] = [`p.organization_id = ${POOL_OWNER}`];
  const params: unknown[] = [req.organizationId];
  const f = req.filter ?? {};
  if (!f.allPersonTypes) where.push(`p.person_type = 'regular'`);
  if (f.ids) {
    const ids = f.ids.filter(isUuidShaped);
    if (ids.length === 0) return { persons: [], offset: req.offset, totalCount: 0 };
    where.push(`p.id in (${ids.map(() => '?').join(',')})`);
    params.push(...ids);
  }
  if (f.handle) {
    where.push(`exists (select 1 from handle h where h.person_id = p.id and h.type = ? and h.normalized = ?)`);
    params.push(f.handle.type, normalizeHandle(f.handle));
  }
  for (const [type, needle] of [['username', f.usernameContains], ['email_address', f.emailContains]] as const) {
    if (!needle) continue;
    where.push(`exists (select 1 from handle h where h.person_id = p.id and h.type = ? and h.normalized like ?)`);
    params.push(type, `%${escapeLike(caseFolded(needle))}%`);
  }
  if (f.scim != null) {
    const { sql, params: bound } = filterToSql(parseScimFilter(f.scim));
    where.push(sql);
    params.push(...bound);
  }
  const direction = req.orderBy?.direction === 'DESC' ? 'desc' : 'asc';
  const field = req.orderBy?.field ?? 'CREATED_AT';
  // created_at is never null: without `nulls last` both directions read the (organization, created_at, id) index.
  const order = field === 'CREATED_AT' ? `p.created_at ${direction}, p.id ${direction}`
    : `${firstHandleOf(field === 'USERNAME' ? 'username' : 'email_address')} ${direction} nulls last, p.id ${direction}`;
  // Unfiltered, the total is the organization's count (person-count.entity.ts); filtered, the matches are counted.
  const counted = !f.ids && !f.handle && !f.usernameContains && !f.emailContains && f.scim == null;
  const countColumn = f.allPersonTypes ? 'total' : 'regular';
  const storedCount = `coalesce((select ${countColumn} from person_count where organization_id = ${POOL_OWNER}), 0)`;
  if (counted && field === 'CREATED_AT') {
    return unfilteredPage(em, req, where, params, direction, countColumn);
  }
  const rows = await em.execute<PersonRow[]>(
    `select ${PERSON_COLUMNS}, ${counted ? storedCount : 'count(*) over ()'} as total from person p
     where ${where.join(' and ')}
     order by ${order}
     limit ? offset ?`,
    [...(counted ? [req.organizationId] : []), ...params, req.limit, req.offset], readOptions(em));
  let totalCount = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && req.offset > 0) {
    const [{ count }] = await em.execute<{ count: string }[]>(counted
      ? `select ${storedCount} as count` : `select count(*) as count from person p where ${where.join(' and ')}`,
    counted ? [req.organizationId] : params, readOptions(em));
    totalCount = Number(count);
  }
  const persons = rows.map(personViewOf);
  return { persons, offset: req.offset, totalCount };
}

type KeyedRow = PersonRow & { changes: string | null };

/**
 * An unfiltered page in (created_at, id) order, in one statement with the stored count and the
 * organization's `changes`. Its ids are found inside the index alone, then only those rows are
 * read. Where an earlier page left a boundary at the offset or before it (page-boundaries.ts), the
 * ids start at that person's key and skip only the difference: one page of work at any depth.
 * Each id's row is read by its own lateral lookup (`offset 0` keeps it one): the statement runs on
 * its generic plan (prepared.ts), which otherwise hashed the whole person table to join a page.
 */
async function unfilteredPage(em: EntityManager, req: PageRequest, where: string[], params: unknown[],
  direction: 'asc' | 'desc', countColumn: 'total' | 'regular', useBoundary = true): Promise<PersonPage> {
  const list = listKey(req.organizationId, direction, Boolean(req.filter?.allPersonTypes));
  // Inside a transaction the page may see its own uncommitted writes (and their `changes`), which a
  // rollback would undo: such a page neither uses nor leaves boundaries.
  const shared = !em.getTransactionContext();
  let boundary = shared && useBoundary ? boundaryAtOrBelow(list, req.offset) : undefined;
  if (shared && useBoundary && req.offset - (boundary?.offset ?? 0) >= MARKERS_FROM) {
    await layMarkers(em, list, req.offset, where.join(' and '), params, direction, boundary);
    boundary = boundaryAtOrBelow(list, req.offset);
  }
  const keyset = boundary ? ` and (p.created_at, p.id) ${direction === 'asc' ? '>=' : '<='} (?::timestamptz, ?::uuid)` : '';
  const rows = await executePrepared<KeyedRow[]>(em,
    `select ${personColumns('r')}, coalesce(c.total, 0) as total, c.changes
     from (select 1) one
     left join (select pc.${countColumn} as total, pc.changes::text as changes from person_count pc
       where pc.organization_id = ${POOL_OWNER}) c on true
     left join lateral (select r.* from (select p.id from person p where ${where.join(' and ')}${keyset}
       order by p.created_at ${direction}, p.id ${direction} limit ? offset ?) page,
       lateral (select * from person x where x.id = page.id offset 0) r) r on true
     order by r.created_at ${direction}, r.id ${direction}`,
    [req.organizationId, ...params, ...(boundary ? [boundary.createdAt, boundary.id] : []), req.limit + 1, req.offset - (boundary?.offset ?? 0)],
    readOptions(em));
  const changes = rows[0]?.changes ?? null;
  if (boundary && changes !== boundary.changes) {
    forgetStale(list, changes);
    return unfilteredPage(em, req, where, params, direction, countColumn, false);
  }
  const found = rows.filter((row) => row.id != null);
  // The driver leaves timestamps as PostgreSQL's text, which is the boundary's key as it is.
  const keyOf = (row: KeyedRow) => ({ createdAt: String(row.created_at), id: row.id });
  if (shared && found.length) rememberBoundary(list, req.offset, keyOf(found[0]), changes);
  if (shared && found.length > req.limit) rememberBoundary(list, req.offset + req.limit, keyOf(found[req.limit]), changes);
  const totalCount = rows.length ? Number(rows[0].total) : 0;
  return { persons: found.slice(0, req.limit).map(personViewOf), offset: req.offset, totalCount };
}

/** A person of the organization's person pool as a plain row (reads only: nothing tracked). */
export async function findPersonViewInPool(em: EntityManager, organizationId: string, id: string): Promise<PersonView | null> {
  if (!isUuidShaped(id)) return null;
  const [row] = await executePrepared<PersonRow[]>(em,
    `select ${PERSON_COLUMNS}, 0 as total from person p where p.id = ? and p.organization_id = ${POOL_OWNER}`, [id, organizationId],
    readOptions(em));
  return row ? personViewOf(row) : null;
}

/**
 * Persons of the person pool of `organizationId` (an organization sharing another's pool sees the
 * owner's persons; an owner or an organization without a pool its own) matching `where`, as
 * managed entities: one statement that also resolves the pool.
 */
async function findInPool(em: EntityManager, organizationId: string, where: string, params: unknown[]): Promise<Person[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select p.* from person p where p.organization_id = ${POOL_OWNER} and ${where}`, [organizationId, ...params]);
  return rows.map((row) => em.map(Person, row as never));
}

/** The person of the organization's person pool with this id. */
export async function findPersonInOrganization(em: EntityManager, organizationId: string, id: string) {
  if (!isUuidShaped(id)) return null;
  return (await findInPool(em, organizationId, 'p.id = ?', [id]))[0] ?? null;
}

/** The person if it is in that organization's person pool and active. */
export async function findActivePerson(em: EntityManager, organizationId: string, id: string): Promise<Person | null> {
  if (!isUuidShaped(id)) return null;
  return (await findInPool(em, organizationId, 'p.id = ? and p.active', [id]))[0] ?? null;
}

export function findPersonById(em: EntityManager, id: string): Promise<Person | null> {
  return isUuidShaped(id) ? em.findOne(Person, { id }) : Promise.resolve(null);
}

/** The persons among `ids` (any organization), for the DataLoader. */
export function findPersonsByIds(em: EntityManager, ids: readonly string[]): Promise<Person[]> {
  return em.find(Person, { id: { $in: [...ids] } });
}

/** The persons of one organization's person pool among `ids` (ids not shaped like UUIDs are skipped). */
export function findPersonsInOrganization(em: EntityManager, organizationId: string, ids: readonly string[]): Promise<Person[]> {
  const valid = ids.filter(isUuidShaped);
  return valid.length
    ? findInPool(em, organizationId, `p.id in (${valid.map(() => '?').join(',')})`, valid) : Promise.resolve([]);
}

export async function deletePersonById(em: EntityManager, id: string): Promise<void> {
  await em.nativeDelete(Person, { id });
}

/** Deletes the organization's persons among `ids`; returns the ids deleted. */
export async function deletePersonsInOrganization(em: EntityManager, organizationId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await em.execute<{ id: string }[]>(
    `delete from person where organization_id = ? and id in (${ids.map(() => '?').join(',')}) returning id`,
    [organizationId, ...ids]);
  return rows.map((r) => r.id);
}

/**
 * The person of the organization's person pool holding the handle (sign-in, registration and the
 * person routes alike find a pooled person from any organization of its pool).
 */
export async function findHandleOwner(em: EntityManager, organizationId: string, handle: HandleInput) {
  const [person] = await findInPool(em, organizationId,
    `p.id = (select h.person_id from handle h where h.organization_id = ${POOL_OWNER} and h.type = ? and h.normalized = ?)`,
    [organizationId, handle.type, normalizeHandle(handle)]);
  return person ?? null;
}

/** The person's handle of this type and (normalized) value, if it has it. */
export function findHandleOfPerson(em: EntityManager, personId: string, handle: HandleInput): Promise<Handle | null> {
  return em.findOne(Handle, { person: personId, type: handle.type, normalized: normalizeHandle(handle) });
}

/** A handle as read for display: plain values, no tracked entity (list reads stay cheap). */
export interface HandleRow {
  personId: string;
  type: string;
  value: string;
  normalized: string;
}

/** Handles of many persons at once (for the DataLoader), in creation order. */
export const handlesOfPersonsRead = (personIds: readonly string[] | Keys): ListRead<HandleRow> => ({
  sql: `select person_id as "personId", type, value, normalized from handle
     where person_id ${asKeys(personIds).match} order by created_at, id`,
  params: asKeys(personIds).params,
  map: (rows) => rows as unknown as HandleRow[],
});
export async function findHandlesOfPersons(em: EntityManager, personIds: readonly string[]): Promise<HandleRow[]> {
  return personIds.length === 0 ? [] : runRead(em, handlesOfPersonsRead(personIds));
}
