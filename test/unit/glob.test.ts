import { matchesGlob } from '../../src/domain/glob.ts';

test.each([
  [['*@example.com'], 'Ada@EXAMPLE.com', true],
  [['*@example.com'], 'ada@example.com.evil.org', false],
  [['+1*'], '+13475043201', true],
  [['+1*'], '+4412345', false],
  [['app-?.example.com'], 'app-1.example.com', true],
  [['app-?.example.com'], 'app-12.example.com', false],
  [['app-[0-9].example.com'], 'app-7.example.com', true],
  [['app-[0-9].example.com'], 'app-x.example.com', false],
  [['app-[!0-9].example.com'], 'app-x.example.com', true],
  [['[abc]*'], 'beta', true],
  [['a.b'], 'axb', false],
  [['unclosed[x'], 'unclosed[x', true],
  [['(a+)+$'], 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', false],
])('%j matches %s: %s', (patterns, value, expected) => {
  expect(matchesGlob(patterns, value)).toBe(expected);
});
