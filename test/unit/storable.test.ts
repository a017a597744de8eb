// The storability rule and the database-unavailable predicate on the shapes they meet.
import { GraphQLError } from 'graphql';
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { jsonIssue, MAX_JSON_DEPTH, unstorableReason } from '../../src/domain/storable.ts';
import { isDatabaseUnavailable } from '../../src/http/db-unavailable.ts';
import { withInt32Bounds } from '../../src/rest/int32.ts';

test('NUL and unpaired surrogates are unstorable; pairs and ordinary text are fine', () => {
  expect(unstorableReason('a\u0000b')).toMatch(/NUL/);
  expect(unstorableReason('\ud800')).toMatch(/unpaired/);
  expect(unstorableReason('x\udc00')).toMatch(/unpaired/);
  expect(unstorableReason('\udc00\ud800')).toMatch(/unpaired/); // reversed pair
  expect(unstorableReason('\ud83d\ude00 café ａ')).toBeUndefined();
});

test('depth: 64 levels pass, 65 do not, and a million levels do not overflow the walk', () => {
  const nest = (n: number) => JSON.parse('['.repeat(n) + ']'.repeat(n));
  expect(jsonIssue(nest(MAX_JSON_DEPTH), ['body'])).toBeUndefined();
  expect(jsonIssue(nest(MAX_JSON_DEPTH + 1), ['body'])).toMatchObject({ type: 'json_too_deep' });
  expect(jsonIssue(nest(1_000_000), ['body'])).toMatchObject({ loc: ['body', 0, 0, 0, 0, 0, 0, 0, 0, '…'] });
});

test('the first bad string is located, keys included; streams and dates are not walked', () => {
  expect(jsonIssue({ a: [1, { b: 'x\u0000' }] }, ['body'])).toEqual({ loc: ['body', 'a', 1, 'b'], msg: expect.stringMatching(/NUL/), type: 'string_unicode' });
  expect(jsonIssue({ ['k\u0000']: 1 }, ['q'])?.loc).toEqual(['q', 'k\uFFFD']);
  class Stream { secret = 'a\u0000'; }
  expect(jsonIssue({ file: new Stream(), at: new Date() }, ['body'])).toBeUndefined();
  expect(jsonIssue({ a: 'x\u0000' }, ['body'], { strings: false })).toBeUndefined();
});

test('int32 bounds are added where missing, kept where narrower, clamped where wider', () => {
  const bounded = withInt32Bounds({
    type: 'object',
    properties: { a: { type: 'integer' }, b: { type: 'integer', minimum: 0, maximum: 10 }, c: { type: 'integer', maximum: 2 ** 53 }, enum: { type: ['integer', 'null'] } },
  }) as any;
  expect(bounded.properties.a).toEqual({ type: 'integer', minimum: -2147483648, maximum: 2147483647 });
  expect(bounded.properties.b).toEqual({ type: 'integer', minimum: 0, maximum: 10 });
  expect(bounded.properties.c.maximum).toBe(2147483647);
  expect(bounded.properties.enum.maximum).toBe(2147483647); // a property named like a keyword is still a schema
});

test('database unavailable: refused, reset, shutting down, terminated — through any wrapping', () => {
  const refused = Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })], ''), { code: 'ECONNREFUSED' });
  expect(isDatabaseUnavailable(refused)).toBe(true);
  expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''))).toBe(true);
  expect(isDatabaseUnavailable(new DriverException(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })))).toBe(true);
  expect(isDatabaseUnavailable(new DriverException(Object.assign(new Error('the database system is starting up'), { code: '57P03' })))).toBe(true);
  expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isDatabaseUnavailable(new GraphQLError('wrapped', { originalError: new Error('x', { cause: Object.assign(new Error('y'), { code: '08006' }) }) }))).toBe(true);
  // Not unavailability: a constraint, a syntax error, an ordinary bug.
  expect(isDatabaseUnavailable(new UniqueConstraintViolationException(Object.assign(new Error('duplicate key'), { code: '23505' })))).toBe(false);
  expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
  expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  expect(isDatabaseUnavailable(undefined)).toBe(false);
});
