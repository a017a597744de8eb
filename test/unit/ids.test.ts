import { isUuidShaped, timeOrderedUuid } from '../../src/domain/ids.ts';

test('ids are UUID-shaped, version 7, and start with the Unix seconds in 36 bits', () => {
  const at = Date.UTC(2024, 0, 9, 12, 0, 0);
  const id = timeOrderedUuid(at + 1e9 * 1000); // far in the future so the monotonic guard does not interfere
  expect(isUuidShaped(id)).toBe(true);
  expect(id[14]).toBe('7');
  expect(['8', '9', 'a', 'b']).toContain(id[19]);
  const seconds = parseInt(id.replace(/-/g, '').slice(0, 9), 16);
  expect(seconds).toBe(Math.floor((at + 1e9 * 1000) / 1000));
});

test('ids minted in a row sort in creation order', () => {
  const ids = Array.from({ length: 2000 }, () => timeOrderedUuid());
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test('UUID shape is checked without version or variant rules', () => {
  expect(isUuidShaped('412edb57-ae26-f2aa-0698-770021ed52d1')).toBe(true);
  expect(isUuidShaped('not-a-uuid')).toBe(false);
  expect(isUuidShaped("06b03a00-0000-7000-8000-000000000000' or 1=1")).toBe(false);
});
