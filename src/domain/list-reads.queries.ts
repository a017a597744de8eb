// Plain-row list reads that can run alone or several in one statement. A page of persons asks for
// up to six lists (handles, groups, roles and their permissions, permissions, attributes); as six
// statements each cost a socket write, a wake-up of a PostgreSQL backend and a result to parse
// (the socket writes alone were a tenth of the nested persons query's CPU). Together they are one
// statement returning one row: each list a JSON array column.
import type { EntityManager } from '@mikro-orm/postgresql';
import { readOptions } from '../db/read-routing.ts';
import { executePrepared } from '../db/prepared.ts';

/** A read: its SQL, its parameters, and how its rows become values. */
export interface ListRead<T> {
  sql: string;
  params: readonly unknown[];
  map: (rows: Record<string, unknown>[]) => T[];
  /**
   * For rows that are a `key` and the columns of a linked row (with its `id`, both UUIDs), which many keys share
   * (a group, a role, a permission held by many persons): the values from the `[key, id]` links, in
   * order, and each linked row once. Read together, such a read sends each linked row once.
   */
  mapLinks?: (links: readonly Link[], rows: Record<string, unknown>[]) => T[];
}

export type Link = readonly [key: string, id: string];

/**
 * A read of `key` and linked rows (`select <key> as "key", t.* …`) whose values are `shape(key,
 * view)`: one view per distinct linked row, shared by its keys (plain rows, nothing tracked).
 */
export function linkedRowsRead<V, T>(
  sql: string, params: readonly unknown[], viewOf: (row: never) => V, shape: (key: string, view: V) => T,
): ListRead<T> {
  const view = viewOf as (row: Record<string, unknown>) => V;
  return {
    sql, params,
    map: (rows) => {
      const views = new Map<unknown, V>();
      return rows.map((row) => {
        let one = views.get(row.id);
        if (one === undefined) views.set(row.id, one = view(row));
        return shape(row.key as string, one);
      });
    },
    mapLinks: (links, rows) => {
      const views = new Map<unknown, V>();
      for (const row of rows) views.set(row.id, view(row));
      return links.map(([key, id]) => shape(key, views.get(id)!));
    },
  };
}

export async function runRead<T>(em: EntityManager, read: ListRead<T>): Promise<T[]> {
  return read.map(await executePrepared<Record<string, unknown>[]>(em, read.sql, read.params, readOptions(em)));
}

/**
 * The keys a read asks for, as the right-hand side of a predicate on the key column: `in (?,?,…)`
 * with the keys bound, or `= any(array(…))` of the statement's shared `keys`. Not `in (select k
 * from keys)`: PostgreSQL plans that as a semi-join and scanned whole link tables for it (12 ms
 * for a page's lists on 10,000 persons, against 2 ms through the person_id indexes).
 */
export interface Keys { match: string; params: readonly unknown[] }
export function asKeys(keys: readonly string[] | Keys): Keys {
  if (!Array.isArray(keys)) return keys as Keys;
  let asked = keysOfArray.get(keys);
  if (!asked) keysOfArray.set(keys, asked = { match: '= any(?::uuid[])', params: [uuidArray(keys)] });
  return asked;
}
/** A read names its keys in its SQL and in its parameters: one literal per array of keys. */
const keysOfArray = new WeakMap<readonly string[], Keys>();
/**
 * UUIDs as one PostgreSQL array literal, bound as one value (prepared reads send it as it is; a
 * plain statement has MikroORM quote it). An id that is not a UUID fails the `::uuid[]` cast.
 */
export const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;
/** The UUIDs readTogether was given as `sharedKeys`, for each read of the statement (bound once, not once per read). */
export const SHARED_KEYS: Keys = { match: '= any(array(select k from keys))', params: [] };

type Results<R> = { [K in keyof R]: R[K] extends ListRead<infer T> ? T[] : never };

/**
 * The reads in one statement. Each read's rows are aggregated in the order its own `order by`
 * gives them (json_agg over a sorted subquery, which PostgreSQL reads in order); the values are as
 * JSON gives them (timestamps as ISO strings, which the row mappers already accept). Reads built
 * with SHARED_KEYS ask for `sharedKeys` (UUIDs): the page's ids are sent once, not once per list.
 */
export async function readTogether<R extends Record<string, ListRead<unknown>>>(
  em: EntityManager, reads: R, sharedKeys: readonly string[] = [],
): Promise<Results<R>> {
  const names = Object.keys(reads);
  if (names.length === 0) return {} as Results<R>;
  const columns = names.map((name, i) => `${aggregated(reads[name])} as r${i}`);
  const [row] = await executePrepared<Record<string, Record<string, unknown>[]>[]>(em,
    `with keys(k) as (select unnest(?::uuid[])) select ${columns.join(', ')}`,
    [uuidArray(sharedKeys), ...names.flatMap((name) => [...reads[name].params])], readOptions(em));
  return Object.fromEntries(names.map((name, i) => {
    const { map, mapLinks } = reads[name];
    const value = row[`r${i}`];
    if (!mapLinks) return [name, map(value)];
    const [links, rows] = value as unknown as [string, Record<string, unknown>[]];
    return [name, mapLinks(linksOf(links), rows)];
  })) as Results<R>;
}

/**
 * A read's rows as one JSON value. Rows that link keys to shared rows go as `[links, rows]`: the
 * links as one string of `key id` UUID pairs (72 characters each) in the read's order, then each
 * linked row once. Building a JSON object per row was most of PostgreSQL's work for a page's
 * lists, and a page's hundred persons mostly share the same few groups, roles and permissions;
 * UUIDs side by side need no JSON escaping on either side.
 */
const aggregated = (read: ListRead<unknown>) => (read.mapLinks
  ? `(with q as materialized (${read.sql}) select json_build_array(
      (select coalesce(string_agg(q.key::text || q.id::text, ''), '') from q),
      (select coalesce(json_agg(d), '[]'::json) from (select distinct on (q.id) q.* from q) d)))`
  : `(select coalesce(json_agg(q), '[]'::json) from (${read.sql}) q)`);

const UUID_LENGTH = 36;

/** The `[key, id]` pairs of a links string (see `aggregated`). */
function linksOf(text: string): Link[] {
  if (text.length % (2 * UUID_LENGTH) !== 0) throw new Error('A links read returned keys or ids that are not UUIDs');
  const links: Link[] = [];
  for (let at = 0; at < text.length; at += 2 * UUID_LENGTH) {
    links.push([text.slice(at, at + UUID_LENGTH), text.slice(at + UUID_LENGTH, at + 2 * UUID_LENGTH)]);
  }
  return links;
}
