// Text PostgreSQL can store: UTF-8 has no form for a lone UTF-16 surrogate, which JSON can carry as
// an escape ("\ud800"). A text column would silently get U+FFFD; a jsonb value fails the statement.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/** The text with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder writes it. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATES, '\uFFFD');

export const LONE_SURROGATE_MESSAGE = 'String should be well-formed Unicode: it holds a lone surrogate (an escape such as \\ud800 '
  + 'without its pair); send the text as UTF-8';

/**
 * Where the first string (a value or a member name) holding a lone surrogate is in a JSON value, as
 * a path of member names and indexes; undefined when there is none. Iterative, as JSON may nest deep.
 */
export function loneSurrogatePath(value: unknown): (string | number)[] | undefined {
  interface Step { value: unknown; parent?: Step; key?: string | number }
  const pathOf = (step: Step) => {
    const path: (string | number)[] = [];
    for (let s: Step | undefined = step; s?.parent; s = s.parent) path.push(s.key!);
    return path.reverse();
  };
  const stack: Step[] = [{ value }];
  while (stack.length) {
    const step = stack.pop()!;
    const v = step.value;
    if (typeof v === 'string') {
      if (hasLoneSurrogate(v)) return pathOf(step);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: step, key: i });
    } else if (v !== null && typeof v === 'object') {
      for (const [key, member] of Object.entries(v).reverse()) {
        if (hasLoneSurrogate(key)) return [...pathOf(step), key];
        stack.push({ value: member, parent: step, key });
      }
    }
  }
  return undefined;
}
