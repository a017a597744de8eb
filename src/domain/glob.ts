// The patterns organizations configure (allowed domains, new persons' handle patterns), as the
// reference shows them: `*` is zero or more characters, `?` one character, `[0-9]` / `[abc]` /
// `[!a-z]` one character of (or not of) a set; everything else is literal. Compared
// case-insensitively. A pattern compiles to an anchored regular expression without nesting, so a
// hostile pattern cannot make matching slow beyond the usual `.*` backtracking of a short value.
const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { source += '\\['; continue; }
      let set = pattern.slice(i + 1, end);
      const negated = set.startsWith('!');
      if (negated) set = set.slice(1);
      source += `[${negated ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else source += c.replace(/[.+?^${}()|[\]\\\-/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

export function matchesGlob(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => {
    let re = cache.get(pattern);
    if (!re) {
      re = compile(pattern);
      if (cache.size > 1000) cache.clear();
      cache.set(pattern, re);
    }
    return re.test(value);
  });
}
