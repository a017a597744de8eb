// The per-process boundary store (src/domain/person/page-boundaries.ts): the nearest boundary at or
// below an offset, stale ones dropped in one pass, the oldest evicted first.
import { boundaryAt, boundaryAtOrBelow, forgetStale, rememberBoundary } from '../../src/domain/person/page-boundaries.ts';

const key = (n: number) => ({ createdAt: `2026-12-03 00:00:${String(n % 60).padStart(2, '0')}+00`, id: `id-${n}` });

test('the nearest boundary at or below an offset, and none below the first', () => {
  const list = 'unit|asc|regular';
  for (const offset of [300, 100, 200]) rememberBoundary(list, offset, key(offset), '7');
  expect(boundaryAtOrBelow(list, 99)).toBeUndefined();
  expect(boundaryAtOrBelow(list, 100)).toMatchObject({ offset: 100, id: 'id-100' });
  expect(boundaryAtOrBelow(list, 250)).toMatchObject({ offset: 200, id: 'id-200' });
  expect(boundaryAtOrBelow(list, 10_000)).toMatchObject({ offset: 300, changes: '7' });
  expect(boundaryAtOrBelow('unit|desc|regular', 250)).toBeUndefined();
  expect(boundaryAtOrBelow(list, 0)).toBeUndefined();
});

test('stale boundaries go in one pass; those taken at the current count stay', () => {
  const list = 'unit-stale|asc|regular';
  for (let offset = 1; offset <= 15_000; offset++) rememberBoundary(list, offset, key(offset), offset % 3 ? '1' : '2');
  forgetStale(list, '2');
  expect(boundaryAt(list, 4)).toBeUndefined();
  expect(boundaryAtOrBelow(list, 5)).toMatchObject({ offset: 3, changes: '2' });
  expect(boundaryAtOrBelow(list, 15_000)).toMatchObject({ offset: 15_000 });
  forgetStale(list, '3');
  expect(boundaryAtOrBelow(list, 15_000)).toBeUndefined();
});

test('past 20,000 boundaries the oldest go first', () => {
  const list = 'unit-evict|asc|regular';
  for (let offset = 1; offset <= 20_001; offset++) rememberBoundary(list, offset, key(offset), '1');
  expect(boundaryAt(list, 1)).toBeUndefined();
  expect(boundaryAt(list, 2)).toBeDefined();
  expect(boundaryAtOrBelow(list, 1)).toBeUndefined();
  expect(boundaryAtOrBelow(list, 20_001)).toMatchObject({ offset: 20_001 });
});
