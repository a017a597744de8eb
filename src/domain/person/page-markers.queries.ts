// Markers on the way to a deep offset. A page at an offset far from any boundary (page-boundaries.ts)
// makes PostgreSQL walk the index up to it. That walk passes every offset before it, so it is made to
// leave a boundary every few thousand persons on the way (one statement, a recursive step from each
// marker to the next): a later page anywhere before that offset, at the same `changes`, then
// starts from a marker and skips at most one step.
import type { EntityManager } from '@mikro-orm/postgresql';
import { readOptions } from '../../db/read-routing.ts';
import { executePrepared } from '../../db/prepared.ts';
import { forgetStale, rememberBoundary, type OffsetBoundary } from './page-boundaries.ts';
import { poolOwnerSql } from '../organization/pools.ts';

const PERSONS_POOL_OWNER = poolOwnerSql('personsPool');

/** A page that would skip this many persons or more first lays markers. */
export const MARKERS_FROM = 20_000;
/** At least this many persons between markers, and at most 200 markers for one walk. */
const markerStep = (distance: number) => Math.max(5_000, Math.ceil(distance / 200));

interface MarkerRow { offset: number; created_key: string; id: string; changes: string | null }

/**
 * Leaves boundaries of `list` every step from `from` (or the first person) up to `offset`.
 * `where` and `params` select the list's persons (the page's own predicate). Nothing is left if
 * `from` went stale meanwhile (its list's stale boundaries are forgotten instead).
 */
export async function layMarkers(
  em: EntityManager, list: string, offset: number, where: string, params: readonly unknown[],
  direction: 'asc' | 'desc', from: OffsetBoundary | undefined,
): Promise<void> {
  const base = from?.offset ?? 0;
  const step = markerStep(offset - base);
  const after = direction === 'asc' ? '>' : '<';
  const order = `p.created_at ${direction}, p.id ${direction}`;
  const start = from ? ` and (p.created_at, p.id) ${after}= (?::timestamptz, ?::uuid)` : '';
  const rows = await executePrepared<MarkerRow[]>(em,
    `with recursive m(n, created_at, id) as (
       (select ?::int, p.created_at, p.id from person p where ${where}${start} order by ${order} offset ? limit 1)
       union all
       (select m.n + ?::int, x.created_at, x.id from m, lateral (select p.created_at, p.id from person p
          where ${where} and (p.created_at, p.id) ${after} (m.created_at, m.id) order by ${order} offset ? limit 1) x
        where m.n + ?::int <= ?::int))
     select m.n as "offset", m.created_at::text as created_key, m.id,
       (select pc.changes::text from person_count pc where pc.organization_id = ${PERSONS_POOL_OWNER}) as changes
     from m`,
    [base + step, ...params, ...(from ? [from.createdAt, from.id] : []), step,
      step, ...params, step - 1, step, offset, params[0]],
    readOptions(em));
  if (rows.length === 0) return; // the offset is past the list's end
  const changes = rows[0].changes;
  if (from && from.changes !== changes) return forgetStale(list, changes);
  for (const row of rows) rememberBoundary(list, row.offset, { createdAt: row.created_key, id: row.id }, changes);
}
