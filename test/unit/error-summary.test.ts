import { errorSummary } from '../../src/http/error-summary.ts';

test('a database error is logged by SQLSTATE and constraint, never its message (it holds values)', () => {
  const error = Object.assign(new Error(`insert into "api_key" values ('deadbeef-secret') - duplicate key`), {
    name: 'UniqueConstraintViolationException', code: '23505', constraint: 'api_key_key_hash_unique',
  });
  const summary = errorSummary(error);
  expect(summary).toMatchObject({ name: 'UniqueConstraintViolationException', sql_state: '23505', constraint: 'api_key_key_hash_unique' });
  expect(JSON.stringify(summary)).not.toContain('deadbeef-secret');
});

test('other errors keep a short message and the first frames', () => {
  const summary = errorSummary(new TypeError('x is undefined'));
  expect(summary.message).toBe('x is undefined');
  expect(String(summary.stack)).toMatch(/^at /);
});
