// The `*` patterns organizations configure (allowed domains, new persons' handle patterns): `*` is
// zero or more characters, everything else literal, compared case-insensitively.
export function matchesGlob(patterns: readonly string[], value: string): boolean {
  const v = value.toLowerCase();
  return patterns.some((pattern) => {
    const source = pattern.toLowerCase().split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*');
    return new RegExp(`^${source}$`).test(v);
  });
}
