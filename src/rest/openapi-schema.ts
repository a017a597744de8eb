// The wire's JSON Schemas (draft-07, compiled by ajv in src/rest/validation.ts) rewritten in the
// Schema Object dialect of OpenAPI 3.0 when the document is built. The declarations keep one form,
// the one ajv enforces, so the document cannot drift from validation: only the spelling changes.
//   {type: [T, 'null']} / anyOf [S, {type: 'null'}]  →  S with nullable: true
//   exclusiveMinimum: n (a number)                    →  minimum: n, exclusiveMinimum: true
//                                                        (minimum: n + 1 for an integer)
//   const: v                                          →  enum: [v]
import type { JsonSchema } from './route.ts';

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBareNull = (s: unknown) => isObject(s) && s.type === 'null' && Object.keys(s).length === 1;

function nullable(schema: Schema): Schema {
  // OpenAPI 3.0.3: nullable only counts next to a type; a member without one stays as it is.
  return 'type' in schema || 'enum' in schema ? { ...schema, nullable: true } : schema;
}

function withoutNullMembers(schema: Schema, key: 'anyOf' | 'oneOf'): Schema {
  const members = schema[key] as unknown[];
  const { [key]: _, ...rest } = schema;
  const others = members.filter((m) => !isBareNull(m)) as Schema[];
  if (others.length === 0) return { ...rest, nullable: true, enum: [null] };
  // The surrounding keys (a description at the place of use) win over the member's.
  if (others.length === 1) return nullable({ ...others[0], ...rest });
  return { ...rest, [key]: others.map(nullable) };
}

function bounds(schema: Schema, bound: 'Minimum' | 'Maximum'): Schema {
  const exclusiveKey = `exclusive${bound}`;
  const key = bound.toLowerCase();
  const exclusive = schema[exclusiveKey];
  if (typeof exclusive !== 'number') return schema;
  const { [exclusiveKey]: _, ...rest } = schema;
  const inclusive = rest[key] as number | undefined;
  const stricter = bound === 'Minimum' ? inclusive !== undefined && inclusive > exclusive : inclusive !== undefined && inclusive < exclusive;
  if (stricter) return rest;
  if (rest.type === 'integer' && Number.isInteger(exclusive)) return { ...rest, [key]: bound === 'Minimum' ? exclusive + 1 : exclusive - 1 };
  return { ...rest, [key]: exclusive, [exclusiveKey]: true };
}

/** The same constraints as `schema`, spelled as an OpenAPI 3.0 Schema Object (a new object). */
export function toOpenApiSchema(schema: JsonSchema): JsonSchema {
  if (!isObject(schema)) return schema;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = schema[key];
    if (Array.isArray(members) && members.some(isBareNull)) return toOpenApiSchema(withoutNullMembers(schema, key));
  }
  let s: Schema = { ...schema };
  if (Array.isArray(s.type)) {
    const types = (s.type as string[]).filter((t) => t !== 'null');
    const orNull = types.length < (s.type as string[]).length;
    const { type: _, ...rest } = s;
    s = types.length === 1 ? { ...rest, type: types[0] } : { ...rest, anyOf: types.map((t) => ({ type: t })) };
    if (orNull) s = types.length === 1 ? nullable(s) : { ...s, anyOf: (s.anyOf as Schema[]).map(nullable) };
  } else if (s.type === 'null') {
    const { type: _, ...rest } = s;
    s = { ...rest, nullable: true, enum: [null] };
  }
  if ('const' in s) {
    const { const: value, ...rest } = s;
    s = { ...rest, enum: [value] };
  }
  if (Array.isArray(s.examples)) {
    const { examples, ...rest } = s;
    s = examples.length ? { ...rest, example: examples[0] } : rest;
  }
  s = bounds(bounds(s, 'Minimum'), 'Maximum');

  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[key])) s[key] = (s[key] as Schema[]).map(toOpenApiSchema);
  }
  for (const key of ['items', 'not', 'additionalProperties'] as const) {
    if (isObject(s[key])) s[key] = toOpenApiSchema(s[key] as Schema);
  }
  if (isObject(s.properties)) {
    s.properties = Object.fromEntries(Object.entries(s.properties).map(([name, p]) => [name, toOpenApiSchema(p as Schema)]));
  }
  return s;
}
