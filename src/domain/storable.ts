// What can be stored: PostgreSQL refuses some strings, and JSON deeper than our own code
// (JSON.stringify, the drivers) can walk ends in a stack overflow. Each face refuses such input
// once, at its wire: the REST validator (path, query, headers, body), src/rest/body.ts (depth,
// before anything walks the body), the OIDC router (path, query, form), /graphql's input guard
// (src/http/graphql-guards.ts: variables and literals); the bulk import fails such a CSV row.
// The walk is iterative, so depth itself cannot overflow it.
import type { FieldIssue } from '../domain/errors.ts';

/** Deepest nesting of objects and arrays a JSON value may have (attributes, UI configuration, variables). */
export const MAX_JSON_DEPTH = 64;

// U+0000 is refused by PostgreSQL in text and in jsonb; an unpaired UTF-16 surrogate cannot be
// encoded as UTF-8 (jsonb refuses the `\ud800` escape, text would store U+FFFD instead).
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why PostgreSQL could not store `text`, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000'
    ? 'String should not contain the NUL character (U+0000)'
    : 'String should not contain an unpaired UTF-16 surrogate (e.g. \\ud800)';
}

/** The text with each unstorable character replaced by U+FFFD (as a UTF-8 encoder writes a lone surrogate). */
export const storableText = (text: string): string => text.replace(new RegExp(UNSTORABLE, 'g'), '\uFFFD');

/** A location segment safe to echo: the offending characters replaced, long names cut. */
const shown = (key: string | number) => (typeof key === 'number' ? key : storableText(key).slice(0, 64));

interface Frame { value: unknown; depth: number; key?: string | number; parent?: Frame }

function locOf(root: (string | number)[], frame: Frame | undefined): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let f = frame; f && f.key !== undefined; f = f.parent) keys.push(shown(f.key));
  keys.reverse();
  // A path 64 levels deep says nothing more than its first steps.
  return [...root, ...(keys.length > 8 ? [...keys.slice(0, 8), '…'] : keys)];
}

export interface JsonCheck {
  maxDepth?: number;
  /** Also check strings and object keys (false: depth only). */
  strings?: boolean;
}

/**
 * The first problem of a parsed JSON value (or a URL's decoded parameters): nesting deeper than
 * `maxDepth`, or a string or key PostgreSQL could not store. `root` starts the issue's `loc`.
 */
export function jsonIssue(value: unknown, root: (string | number)[], { maxDepth = MAX_JSON_DEPTH, strings = true }: JsonCheck = {}): FieldIssue | undefined {
  const stack: Frame[] = [{ value, depth: 0 }];
  while (stack.length) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (typeof current === 'string') {
      const reason = strings ? unstorableReason(current) : undefined;
      if (reason) return { loc: locOf(root, frame), msg: reason, type: 'string_unicode' };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const depth = frame.depth + 1;
    if (depth > maxDepth) {
      return { loc: locOf(root, frame), msg: `JSON should be nested at most ${maxDepth} levels deep`, type: 'json_too_deep' };
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth, key: i, parent: frame });
      continue;
    }
    // Only plain data: a stream or a Date handed in by the engine itself is not walked.
    const proto = Object.getPrototypeOf(current);
    if (proto !== Object.prototype && proto !== null) continue;
    const entries = Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const reason = strings ? unstorableReason(key) : undefined;
      if (reason) return { loc: locOf(root, { value: child, depth, key, parent: frame }), msg: `Key: ${reason}`, type: 'string_unicode' };
      stack.push({ value: child, depth, key, parent: frame });
    }
  }
  return undefined;
}

/** The issue as one line, for messages that carry no issue list (GraphQL, OAuth). */
export const describeIssue = (issue: FieldIssue) => `${issue.loc.join('.')}: ${issue.msg}`;
