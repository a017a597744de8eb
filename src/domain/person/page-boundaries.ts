// Keyset pagination behind the offset API. A deep `offset` makes PostgreSQL walk that many index
// entries; a client that pages through (offset 0, 100, 200… or a connection's `after` cursor, which
// carries an offset) asks next for the offset where the last page ended. So each served page
// remembers the person at its first offset and the one just after its end, with the
// organization's `changes` counter (person_count, bumped by every statement that adds, removes or
// moves persons): while the counter is the same, that person is still at that offset, and the next
// page is read from its key, `(created_at, id) >= key`, at the cost of one page whatever the depth.
// The counter is read in the page's own statement, so a boundary that went stale is noticed there
// and the page is read again by offset; every process (and a replica) stays correct on its own.

/** Where a person sits in the (created_at, id) order: created_at as PostgreSQL's text (microseconds kept). */
export interface PageKey { createdAt: string; id: string }

interface Boundary extends PageKey { changes: string }
/** A boundary and the offset it stands at. */
export interface OffsetBoundary extends Boundary { offset: number }

/** Enough for many clients paging at once; the oldest boundaries go first. */
const MAX_BOUNDARIES = 20_000;
/** Each list's boundaries by offset, and its offsets in order (to find the nearest one below an offset). */
const lists = new Map<string, { at: Map<number, Boundary>; offsets: number[] }>();
/** Every boundary as `list|offset`, oldest first. */
const age = new Map<string, { list: string; offset: number }>();

/** Which list a boundary belongs to: the organization as asked, the direction and the person types listed. */
export const listKey = (organizationId: string, direction: 'asc' | 'desc', allPersonTypes: boolean) =>
  `${organizationId}|${direction}|${allPersonTypes ? 'all' : 'regular'}`;

/** Where `offset` goes in the sorted `offsets` (the index of the first one not below it). */
function indexOf(offsets: number[], offset: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (offsets[middle] < offset) low = middle + 1; else high = middle;
  }
  return low;
}

export function boundaryAt(list: string, offset: number): Boundary | undefined {
  return offset > 0 ? lists.get(list)?.at.get(offset) : undefined;
}

/**
 * The boundary at `offset` or the nearest one before it: a page at an offset nobody asked yet, near
 * one that was (the page after a jump, a client's next page of another size), starts from that
 * boundary's key and skips only the difference.
 */
export function boundaryAtOrBelow(list: string, offset: number): OffsetBoundary | undefined {
  const known = lists.get(list);
  if (!known || offset <= 0) return undefined;
  const i = indexOf(known.offsets, offset + 1) - 1;
  if (i < 0) return undefined;
  const at = known.offsets[i];
  return { ...known.at.get(at)!, offset: at };
}

export function rememberBoundary(list: string, offset: number, key: PageKey, changes: string | null): void {
  if (offset <= 0 || changes == null) return;
  forgetBoundary(list, offset);
  if (age.size >= MAX_BOUNDARIES) {
    const oldest = age.values().next().value!;
    forgetBoundary(oldest.list, oldest.offset);
  }
  let known = lists.get(list);
  if (!known) lists.set(list, known = { at: new Map(), offsets: [] });
  known.at.set(offset, { createdAt: key.createdAt, id: key.id, changes });
  known.offsets.splice(indexOf(known.offsets, offset), 0, offset);
  age.set(`${list}|${offset}`, { list, offset });
}

export function forgetBoundary(list: string, offset: number): void {
  const known = lists.get(list);
  if (!known?.at.delete(offset)) return;
  known.offsets.splice(indexOf(known.offsets, offset), 1);
  if (known.at.size === 0) lists.delete(list);
  age.delete(`${list}|${offset}`);
}

/**
 * Forgets the boundaries of `list` not taken at `changes` (the organization's count now): they all
 * went stale. One pass over the list, whatever its length (not a splice per boundary).
 */
export function forgetStale(list: string, changes: string | null): void {
  const known = lists.get(list);
  if (!known) return;
  for (const [offset, boundary] of known.at) {
    if (boundary.changes === changes) continue;
    known.at.delete(offset);
    age.delete(`${list}|${offset}`);
  }
  if (known.at.size === 0) lists.delete(list);
  else known.offsets = known.offsets.filter((offset) => known.at.has(offset));
}
