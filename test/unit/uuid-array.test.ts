// A page's ids go into the SQL as one array literal, unescaped only when every id has the UUID
// shape; anything else stays an ordinary parameter, which MikroORM escapes.
import { isRaw } from '@mikro-orm/core';
import { uuidArray } from '../../src/domain/list-reads.queries.ts';

test('UUIDs go in as one literal; anything else is an escaped parameter', () => {
  const ids = ['06b10419-284e-773f-90d9-ed66fb52a2a4', '06B10419-28C4-79BA-8BAA-9430810D5502'];
  const literal = uuidArray(ids);
  expect(isRaw(literal)).toBe(true);
  expect((literal as { sql: string }).sql).toBe(`'{${ids.join(',')}}'`);
  for (const hostile of [`06b10419-284e-773f-90d9-ed66fb52a2a4'); drop table person; --`, `x'`, '06b10419-284e-773f-90d9-ed66fb52a2a4\n']) {
    const value = uuidArray([ids[0], hostile]);
    expect(isRaw(value)).toBe(false);
    expect(value).toBe(`{${ids[0]},${hostile}}`);
  }
  expect(isRaw(uuidArray([]))).toBe(true);
});
