import { filterToSql, parseScimFilter } from '../../src/domain/person/scim-filter.ts';

test('parses precedence: and binds tighter than or; not and parentheses', () => {
  expect(parseScimFilter('active eq true or region eq "us-iowa" and groups pr')).toEqual({
    kind: 'or',
    left: { kind: 'compare', attr: 'active', op: 'eq', value: true },
    right: { kind: 'and', left: { kind: 'compare', attr: 'region', op: 'eq', value: 'us-iowa' }, right: { kind: 'present', attr: 'groups' } },
  });
  expect(parseScimFilter('NOT (roles EQ "a\\"b")')).toEqual({ kind: 'not', filter: { kind: 'compare', attr: 'roles', op: 'eq', value: 'a"b' } });
});

test('translates to SQL with bound parameters only', () => {
  const { sql, params } = filterToSql(parseScimFilter(`handles eq "email_address:Ada@X.com" and groups co "'; drop table person; --"`));
  expect(sql).not.toContain('drop table');
  expect(sql).not.toContain('Ada');
  expect(params).toEqual(['email_address', 'ada@x.com', `%'; drop table person; --%`]);
});

test.each([
  [''], ['active'], ['active eq'], ['bogus eq "x"'], ['active xx true'], ['(active eq true'], ['active eq true)'],
  ['region eq "unterminated'], ['active eq true and'], ['roles eq true'], ['active co true'], ['region eq us-iowa'],
  ['('.repeat(40) + 'active eq true' + ')'.repeat(40)],
])('refuses %p with a validation error', (input) => {
  expect(() => filterToSql(parseScimFilter(input))).toThrow(/filter:/);
});
