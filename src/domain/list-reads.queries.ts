// Plain-row list reads that can run alone or several in one statement. A page of persons asks for
// up to six lists (handles, groups, roles and their permissions, permissions, attributes); as six
// statements each cost a socket write, a wake-up of a PostgreSQL backend and a result to parse
// (the socket writes alone were a tenth of the nested persons query's CPU). Together they are one
// statement returning one row: each list a JSON array column.
import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type RawQueryFragment } from '@mikro-orm/core';
import { readOptions } from '../db/read-routing.ts';
import { executePrepared } from '../db/prepared.ts';
import { isUuidShaped } from './ids.ts';

/** A read: its SQL, its parameters, and how its rows become values. */
export interface ListRead<T> {
  sql: string;
  params: readonly unknown[];
  map: (rows: Record<string, unknown>[]) => T[];
  /**
   * Its rows are a `key` and the columns of a linked row (with its `id`), which many keys share (a
   * group, a role, a permission held by many persons): read together, each linked row is sent once.
   */
  linksSharedRows?: boolean;
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
/** A read names its keys in its SQL and in its parameters: the hundred ids of a page are checked once, not twice. */
const keysOfArray = new WeakMap<readonly string[], Keys>();
/**
 * UUIDs as one PostgreSQL array: MikroORM writes each parameter into the SQL text, escaping it a
 * character at a time, and a page's hundred ids cost more garbage than the rest of the statement.
 * When every id has the UUID shape (hex digits and dashes: nothing to escape), the literal goes
 * in as it is; otherwise it is an ordinary, escaped parameter.
 */
export function uuidArray(ids: readonly string[]): string | RawQueryFragment {
  const literal = `{${ids.join(',')}}`;
  return ids.every(isUuidShaped) ? raw(`'${literal}'`) : literal;
}
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
    const rows = reads[name].linksSharedRows ? unshared(row[`r${i}`] as unknown as SharedRows) : row[`r${i}`];
    return [name, reads[name].map(rows)];
  })) as Results<R>;
}

/**
 * A read's rows as one JSON value. Rows that link keys to shared rows go as `[links, rows]`: the
 * `[key, id]` pairs in the read's order, then each linked row once. Building a JSON object per row
 * was most of PostgreSQL's work for a page's lists, and a page's hundred persons mostly share
 * the same few groups, roles and permissions.
 */
const aggregated = (read: ListRead<unknown>) => (read.linksSharedRows
  ? `(with q as materialized (${read.sql}) select json_build_array(
      (select coalesce(json_agg(json_build_array(q.key, q.id)), '[]'::json) from q),
      (select coalesce(json_agg(d), '[]'::json) from (select distinct on (q.id) q.* from q) d)))`
  : `(select coalesce(json_agg(q), '[]'::json) from (${read.sql}) q)`);

type SharedRows = [[string, string][], Record<string, unknown>[]];

/** The rows `[links, rows]` stands for, in the links' order (each row object shared by its links, with the link's key). */
function unshared([links, rows]: SharedRows): Record<string, unknown>[] {
  const byId = new Map<unknown, Record<string, unknown>>();
  for (const row of rows) byId.set(row.id, row);
  return links.map(([key, id]) => ({ ...byId.get(id), key }));
}
