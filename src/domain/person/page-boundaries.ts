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

/** Enough for many clients paging at once; the oldest boundaries go first. */
const MAX_BOUNDARIES = 20_000;
const boundaries = new Map<string, Boundary>();

/** Which list a boundary belongs to: the organization as asked, the direction and the person types listed. */
export const listKey = (organizationId: string, direction: 'asc' | 'desc', allPersonTypes: boolean) =>
  `${organizationId}|${direction}|${allPersonTypes ? 'all' : 'regular'}`;

export function boundaryAt(list: string, offset: number): Boundary | undefined {
  return offset > 0 ? boundaries.get(`${list}|${offset}`) : undefined;
}

export function rememberBoundary(list: string, offset: number, key: PageKey, changes: string | null): void {
  if (offset <= 0 || changes == null) return;
  const at = `${list}|${offset}`;
  boundaries.delete(at);
  if (boundaries.size >= MAX_BOUNDARIES) boundaries.delete(boundaries.keys().next().value!);
  boundaries.set(at, { createdAt: key.createdAt, id: key.id, changes });
}

export function forgetBoundary(list: string, offset: number): void {
  boundaries.delete(`${list}|${offset}`);
}
