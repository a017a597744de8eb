// Shared fast-check arbitraries of the fuzzers: edge strings and numbers, junk JSON, raw JSON text
// (numbers past 2^53, nesting 10,000 deep) and values drawn from a JSON Schema, mixed with junk.
import fc from 'fast-check';

/** JSON text emitted verbatim by jsonText: what JSON.stringify cannot write (big numbers, deep nesting). */
export class RawJson {
  readonly text: string;
  constructor(text: string) { this.text = text; }
  toJSON() { return `<raw ${this.text.length > 60 ? `${this.text.slice(0, 30)}…(${this.text.length} chars)` : this.text}>`; }
}

/** JSON.stringify, with RawJson written as is. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : jsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The run's seed: FUZZ_SEED replays a run; each operation draws from a seed derived from it and its name. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
export const seedOf = (key: string): number => {
  let h = 0x811c9dc5; // FNV-1a of the key
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return (FUZZ_SEED ^ h) | 0;
};

export const DEEP = 10_000;
/** Arrays or objects nested DEEP levels, as text (JSON.stringify would recurse that deep). */
export const deepJson = (kind: 'array' | 'object', depth = DEEP) =>
  new RawJson(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

export const NUL = '\u0000';

/** The value one time in `n`, else null (fc.option's freq is the other way round: null one time in freq). */
export const oneIn = <T>(n: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 1, arbitrary }, { weight: n - 1, arbitrary: fc.constant(null) });

/** Strings that break naive code: NUL, lone surrogates, bidi and zero-width marks, fullwidth, NFD, emoji. */
export const EDGE_STRINGS = [
  '', ' ', '  padded  ', NUL, `a${NUL}b`, '\ud800', 'x\udc00', '\udbff\udfff', '\u202eevil', 'a\u200fb', '\u200d', 'a\u200bb',
  '\ufeffbom', 'ａｄｍｉｎ', 'Ａ１', 'e\u0301', 'é', 'İstanbul', 'ß', 'ﬁ', 'K', '👩‍👩‍👧‍👦', '🏳️‍🌈', '\u0085\u2028\u2029', '\r\n\t',
  "' or 1=1 --", '"; drop table person; --', '<script>alert(1)</script>', '../../etc/passwd', '%00', '%', '%zz', '%c0%af',
  '{}', '[]', 'null', 'true', '0', '-1', '1e309', 'NaN', '${jndi:ldap://x}', '\\', '\\u0000', 'a'.repeat(300), 'é'.repeat(129),
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'email_address:', 'username:a:b',
];

/** Bad percent-encodings, inserted raw into paths and query strings. */
export const BAD_ENCODINGS = ['%', '%zz', '%c0%af', '%ed%a0%80', '%ff', '%00', '%2f', '%2F..%2F', '%25', '%e2%80', '%%', '+', '..', '.'];

const fullwidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

export const edgeString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...EDGE_STRINGS), { minLength: 2, maxLength: 4 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map(fullwidth) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => s.normalize('NFD')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }).map((s) => s + '\ud800') },
);

const HUGE_UNITS = ['a', 'é', '\u200d', '😀', 'e\u0301', 'ａ'];
/** At least 100 KB once encoded as UTF-8. */
export const hugeString: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...HUGE_UNITS), fc.integer({ min: 0, max: 20_000 }))
  .map(([unit, extra]) => unit.repeat(Math.ceil((100_000 + extra) / Buffer.byteLength(unit))));

/** Integers around 32 and 53 bits, negatives, and numbers JSON.stringify cannot write exactly. */
export const edgeNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53, -(2 ** 53),
    1e21, -1e21, 1.5, -0.5, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer(),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('123456789012345678901234567890', '-99999999999999999999', '9007199254740993', '1e400', '-1e400', '-0', '1E2',
    '0.0000000000000000000001', '2147483648', '4294967296').map((t) => new RawJson(t)),
);

/** Any JSON value, with edge strings and numbers, small. */
export const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: edgeString },
  { weight: 2, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }, JSON.parse('{"__proto__":{"admin":true}}'), { constructor: { prototype: 1 } }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(edgeString, edgeString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(edgeString, edgeNumber), { maxLength: 4 }) },
);

/** Junk that is sometimes expensive: 100 KB strings, nesting 10,000 deep. */
export const heavyJunk: fc.Arbitrary<unknown> = fc.oneof(
  hugeString,
  fc.constantFrom(deepJson('array'), deepJson('object')),
);

export type Schema = Record<string, any>;
/** Values known to exist in the fixture, by parameter or property name (person_id, group_name, …). */
export type Known = Record<string, unknown[]>;

const FORMAT_VALUES: Record<string, fc.Arbitrary<string>> = {
  uri: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'https://app.example/cb#frag', 'myapp://cb', 'https://[::1]/')),
  email: fc.oneof(fc.emailAddress(), fc.constantFrom('a@b', 'a@@b.c', 'ÄÖ@exämple.com')),
  binary: fc.string(),
};

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format && FORMAT_VALUES[schema.format]) return FORMAT_VALUES[schema.format];
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  if (schema.pattern) {
    return fc.stringMatching(new RegExp(schema.pattern)).map((s) => (s.length > (schema.maxLength ?? Infinity) ? s.slice(0, schema.maxLength) : s));
  }
  return fc.string({ minLength: Math.min(schema.minLength ?? 0, maxLength), maxLength });
}

/**
 * Values of `schema` as its document describes them. With `junk` > 0 (a weight out of 12), any value
 * may be junk instead, and an object may miss a required member or carry undeclared ones.
 */
export function fromSchema(schema: Schema | undefined, known: Known, junk: number, name = '', depth = 0): fc.Arbitrary<unknown> {
  const valid = validOf(schema ?? {}, known, junk, name, depth);
  if (junk === 0) return valid;
  return fc.oneof({ weight: 12 - junk, arbitrary: valid }, { weight: junk, arbitrary: junkJson });
}

function validOf(schema: Schema, known: Known, junk: number, name: string, depth: number): fc.Arbitrary<unknown> {
  const base = baseOf(schema, known, junk, name, depth);
  // A known value of this name and of this schema's type (the items of an array take the array's name).
  const fitting = (known[name] ?? []).filter((v) => typeOf(v) === (schema.type ?? typeOf(v)));
  const withKnown = fitting.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fitting) }, { weight: 1, arbitrary: base }) : base;
  return schema.nullable ? fc.oneof({ weight: 5, arbitrary: withKnown }, { weight: 1, arbitrary: fc.constant(null) }) : withKnown;
}

const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);

function baseOf(schema: Schema, known: Known, junk: number, name: string, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': return stringOf(schema);
    case 'integer': return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number': return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum, max: schema.maximum });
    case 'boolean': return fc.boolean();
    case 'array': {
      const item = fromSchema(schema.items, known, junk, name, depth + 1);
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) };
      return schema.uniqueItems ? fc.uniqueArray(item, { ...constraints, selector: (v) => jsonText(v) }) : fc.array(item, constraints);
    }
    case 'object': return objectOf(schema, known, junk, depth);
    default: return depth > 2 ? fc.jsonValue({ maxDepth: 1 }) : fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: Schema, known: Known, junk: number, depth: number): fc.Arbitrary<unknown> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, fromSchema(s, known, junk, k, depth + 1)]));
  const record = fc.record(model, { requiredKeys: required.filter((k) => k in model) });
  const extra = typeof schema.additionalProperties === 'object'
    ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fromSchema(schema.additionalProperties, known, junk, '', depth + 1), { maxKeys: 3 })
    : schema.additionalProperties === true || !schema.properties
      ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
      : fc.constant({});
  const base = fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }));
  if (junk === 0) return base;
  // Fuzzed: drop a required member, or add members the schema does not declare.
  return fc.tuple(base, oneIn(4, fc.constantFrom(...(required.length ? required : ['-']))),
    oneIn(4, fc.dictionary(edgeString, junkJson, { minKeys: 1, maxKeys: 3 })))
    .map(([value, drop, more]) => {
      const out: Record<string, unknown> = { ...value, ...(more ?? {}) };
      if (drop) delete out[drop];
      return out;
    });
}

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD, as UTF-8 has no form for them). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : v instanceof RawJson ? v.text : Array.isArray(v) ? v.map(asText).join(',') : jsonText(v));

/** A value of the schema (a known one of that name, mostly) for a URL, percent-encoded; arrays comma-separated. */
export const validUrlValue = (schema: Schema | undefined, known: Known, name: string): fc.Arbitrary<string> =>
  fromSchema(schema, known, 0, name).map((v) => percentEncode(asText(v)));

/** A scalar for a URL (path segment or query value): encoded, raw bad encodings, or huge. */
export function urlValue(schema: Schema | undefined, known: Known, name: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 30, arbitrary: fromSchema(schema, known, 0, name).map((v) => percentEncode(asText(v))) },
    { weight: 10, arbitrary: fc.oneof(edgeString, edgeNumber.map(asText)).map(percentEncode) },
    { weight: 4, arbitrary: fc.tuple(fromSchema(schema, known, 0, name), fc.constantFrom(...BAD_ENCODINGS))
      .map(([v, bad]) => percentEncode(asText(v)) + bad) },
    { weight: 4, arbitrary: fc.constantFrom(...BAD_ENCODINGS) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'Z', '9', '-', '.'), minLength: 1000, maxLength: 6000 }) },
    // Past Node's 16 KiB limit of a request head: Node answers 431 (or resets) before the app.
    { weight: 1, arbitrary: hugeString.map((s) => percentEncode(s.slice(0, 100_000))) },
  );
}
