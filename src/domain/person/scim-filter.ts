// SCIM 2.0 filters (RFC 7644 §3.4.2.2) over persons: a tokenizer, a recursive-descent parser into
// an expression tree, and a translation of the tree into SQL with bound parameters only.
// The parser takes the whole grammar (attribute paths with sub-attributes and schema URNs, value
// filters `emails[type eq "work" and value co "@x"]`, eq ne co sw ew gt ge lt le pr, and/or/not,
// parentheses); each caller names the attributes it knows. SCIM Users compile it with
// src/domain/scim/user-filter.ts; here, persons: person_id, handles, active, roles, groups, region,
// attributes with eq, ne, co, sw, ew, pr.
import { ValidationFailed } from '../errors.ts';
import { caseFolded } from './handles.ts';

export type Value = string | number | boolean | null;
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Filter =
  | { kind: 'compare'; attr: string; op: CompareOp; value: Value }
  /** `attr[filter]`: some value of the multi-valued `attr` matches `filter`, whose attributes are its sub-attributes. */
  | { kind: 'valuePath'; attr: string; filter: Filter }
  | { kind: 'present'; attr: string }
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter };

type Token = { type: 'word' | 'string' | 'number' | 'lparen' | 'rparen' | 'lbracket' | 'rbracket'; text: string; value?: Value; at: number };

const MAX_DEPTH = 32;
export const ATTRIBUTES = ['person_id', 'handles', 'active', 'roles', 'groups', 'region', 'attributes'];
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr'];

export interface FilterOptions {
  /** Multi-valued attributes that take a value filter `attr[…]`; their sub-attributes are listed as `attr.sub`. */
  valuePaths?: readonly string[];
  /** Maps a lower-cased path (e.g. one with a schema URN) to the name listed in `attributes`. */
  alias?: (path: string) => string;
}

export function fail(message: string, at?: number): never {
  const where = at === undefined ? '' : ` (at character ${at + 1})`;
  throw new ValidationFailed(`filter: ${message}${where}`, [{ loc: ['query', 'filter'], msg: `${message}${where}`, type: 'value_error' }]);
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ type: c === '(' ? 'lparen' : 'rparen', text: c, at: i }); i++; continue; }
    if (c === '[' || c === ']') { tokens.push({ type: c === '[' ? 'lbracket' : 'rbracket', text: c, at: i }); i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < input.length && input[j] !== '"') {
        if (input[j] === '\\') {
          const next = input[j + 1];
          if (next === undefined) fail('unterminated escape in string', j);
          text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else text += input[j++];
      }
      if (j >= input.length) fail('unterminated string', i);
      tokens.push({ type: 'string', text, value: text, at: i });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z0-9_.:$+-]+/.exec(input.slice(i));
    if (!word) fail(`unexpected character "${c}"`, i);
    const text = word[0];
    if (/^-?\d+(\.\d+)?$/.test(text)) tokens.push({ type: 'number', text, value: Number(text), at: i });
    else tokens.push({ type: 'word', text, at: i });
    i += text.length;
  }
  return tokens;
}

/** Parses a filter whose attribute names must be among `attributes` (the persons' by default). */
export function parseScimFilter(input: string, attributes: readonly string[] = ATTRIBUTES, options: FilterOptions = {}): Filter {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (t: Token | undefined, w: string) => t?.type === 'word' && t.text.toLowerCase() === w;
  const resolve = (path: string) => (options.alias ? options.alias(path) : path);

  // `within`: the multi-valued attribute whose value filter is being read (its sub-attributes are the names).
  function parseOr(depth: number, within?: string): Filter {
    let left = parseAnd(depth, within);
    while (isWord(peek(), 'or')) { pos++; left = { kind: 'or', left, right: parseAnd(depth, within) }; }
    return left;
  }
  function parseAnd(depth: number, within?: string): Filter {
    let left = parseUnary(depth, within);
    while (isWord(peek(), 'and')) { pos++; left = { kind: 'and', left, right: parseUnary(depth, within) }; }
    return left;
  }
  function parseUnary(depth: number, within?: string): Filter {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    const t = peek();
    if (!t) fail('expression expected at the end');
    if (isWord(t, 'not')) { pos++; return { kind: 'not', filter: parseUnary(depth + 1, within) }; }
    if (t.type === 'lparen') {
      pos++;
      const inner = parseOr(depth + 1, within);
      if (peek()?.type !== 'rparen') fail('")" expected', peek()?.at ?? input.length);
      pos++;
      return inner;
    }
    return parseComparison(depth, within);
  }
  function parseComparison(depth: number, within?: string): Filter {
    const attrToken = tokens[pos++];
    if (attrToken.type !== 'word') fail(`attribute name expected, found "${attrToken.text.slice(0, 32)}"`, attrToken.at);
    const shown = attrToken.text.slice(0, 80);
    const attr = within ? `${within}.${attrToken.text.toLowerCase()}` : resolve(attrToken.text.toLowerCase());
    if (peek()?.type === 'lbracket') {
      if (within || !options.valuePaths?.includes(attr)) {
        fail(`"${shown}" takes no value filter [...]${options.valuePaths?.length ? `; these do: ${options.valuePaths.join(', ')}` : ''}`, peek().at);
      }
      pos++;
      const filter = parseOr(depth + 1, attr);
      if (peek()?.type !== 'rbracket') fail('"]" expected', peek()?.at ?? input.length);
      pos++;
      return { kind: 'valuePath', attr, filter };
    }
    if (!attributes.includes(attr)) {
      const names = within ? attributes.filter((a) => a.startsWith(`${within}.`)).map((a) => a.slice(within.length + 1)) : attributes;
      fail(`unknown attribute "${shown}"; use one of ${names.join(', ')}`, attrToken.at);
    }
    const opToken = tokens[pos++];
    if (!opToken || opToken.type !== 'word' || !OPERATORS.includes(opToken.text.toLowerCase())) {
      fail(`operator expected after ${shown}: one of ${OPERATORS.join(', ')}`, opToken?.at ?? input.length);
    }
    const op = opToken.text.toLowerCase();
    if (op === 'pr') return { kind: 'present', attr };
    const v = tokens[pos++];
    if (!v) fail(`value expected after ${shown} ${op}`, input.length);
    let value: Value;
    if (v.type === 'string' || v.type === 'number') value = v.value!;
    else if (isWord(v, 'true') || isWord(v, 'false')) value = v.text.toLowerCase() === 'true';
    else if (isWord(v, 'null')) value = null;
    else fail(`value expected after ${shown} ${op}: a "string", number, true, false or null`, v.at);
    return { kind: 'compare', attr, op: op as CompareOp, value };
  }

  if (tokens.length === 0) fail('the filter is empty');
  const tree = parseOr(0);
  if (pos < tokens.length) fail(`unexpected "${tokens[pos].text.slice(0, 32)}"`, tokens[pos].at);
  return tree;
}

export interface SqlFragment { sql: string; params: unknown[] }

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => '\\' + ch);

function textValue(node: { attr: string; op: string; value: Value }): string {
  if (typeof node.value !== 'string') fail(`${node.attr} ${node.op} needs a "string" value`);
  return node.value;
}

/** `column op ?` for eq/co/sw/ew (ne is handled as not eq by the caller). */
function textMatch(column: string, op: string, value: string, lower = false): SqlFragment {
  const col = lower ? `lower(${column})` : column;
  const v = lower ? caseFolded(value) : value;
  switch (op) {
    case 'eq': return { sql: `${col} = ?`, params: [v] };
    case 'co': return { sql: `${col} like ? escape '\\'`, params: [`%${escapeLike(v)}%`] };
    case 'sw': return { sql: `${col} like ? escape '\\'`, params: [`${escapeLike(v)}%`] };
    case 'ew': return { sql: `${col} like ? escape '\\'`, params: [`%${escapeLike(v)}`] };
    default: return fail(`unsupported operator ${op}`);
  }
}

/** Subqueries for the multi-valued attributes: `exists (… and <match>)`. */
const SETS: Record<string, { from: string; column: string; lower?: boolean }> = {
  roles: { from: 'person_role pr join role r on r.id = pr.role_id where pr.person_id = p.id', column: 'r.name' },
  groups: { from: 'group_member gm join access_group g on g.id = gm.group_id where gm.person_id = p.id', column: 'g.name' },
  attributes: { from: 'person_attribute a where a.person_id = p.id', column: 'a.name' },
  handles: { from: 'handle h where h.person_id = p.id', column: 'h.normalized', lower: true },
};

function compare(node: Extract<Filter, { kind: 'compare' }>): SqlFragment {
  if (node.op === 'ne') {
    const eq = compare({ ...node, op: 'eq' });
    return { sql: `not (${eq.sql})`, params: eq.params };
  }
  switch (node.attr) {
    case 'active':
      if (typeof node.value !== 'boolean' || node.op !== 'eq') fail('active takes eq or ne with true or false');
      return { sql: 'p.active = ?', params: [node.value] };
    case 'person_id': return textMatch('p.id::text', node.op, textValue(node), true);
    case 'region': return textMatch('p.region', node.op, textValue(node));
    case 'handles': {
      const value = textValue(node);
      const colon = value.indexOf(':');
      const type = colon > 0 ? value.slice(0, colon) : undefined;
      if (node.op === 'eq' && type && ['email_address', 'phone_number', 'username'].includes(type)) {
        const match = textMatch('h.normalized', 'eq', value.slice(colon + 1), true);
        return { sql: `exists (select 1 from ${SETS.handles.from} and h.type = ? and ${match.sql})`, params: [type, ...match.params] };
      }
      const match = textMatch('h.normalized', node.op, value, true);
      return { sql: `exists (select 1 from ${SETS.handles.from} and ${match.sql})`, params: match.params };
    }
    default: {
      const set = SETS[node.attr];
      const match = textMatch(set.column, node.op, textValue(node), set.lower);
      return { sql: `exists (select 1 from ${set.from} and ${match.sql})`, params: match.params };
    }
  }
}

export function filterToSql(node: Filter): SqlFragment {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const l = filterToSql(node.left);
      const r = filterToSql(node.right);
      return { sql: `(${l.sql} ${node.kind} ${r.sql})`, params: [...l.params, ...r.params] };
    }
    case 'not': {
      const inner = filterToSql(node.filter);
      return { sql: `not (${inner.sql})`, params: inner.params };
    }
    case 'present':
      if (node.attr in SETS) return { sql: `exists (select 1 from ${SETS[node.attr].from})`, params: [] };
      return { sql: 'true', params: [] }; // single-valued attributes are always present
    case 'compare':
      return compare(node);
    case 'valuePath':
      return fail(`${node.attr} takes no value filter [...]`);
  }
}
