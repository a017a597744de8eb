// Every integer the wire accepts ends in a GraphQL `Int`, which is 32-bit signed: a larger value
// would fail coercion inside the operation (a 500). Declarations state their own ranges; any
// integer without one gets the int32 range here, once, for the validator and the OpenAPI document.
import type { JsonSchema } from './route.ts';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

const VALUE_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example']);
const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const isInteger = (type: unknown) => type === 'integer' || (Array.isArray(type) && type.includes('integer'));

/** A copy of `schema` in which every integer is bounded to the int32 range (narrower bounds stay). */
export function withInt32Bounds<T extends JsonSchema>(schema: T): T {
  // `names`: the node maps property names to schemas (properties, patternProperties, definitions).
  const walk = (node: unknown, names = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n));
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (names) out[key] = walk(value);
      // enum, const, default and examples hold values, not schemas.
      else if (VALUE_KEYWORDS.has(key)) out[key] = value;
      else out[key] = walk(value, NAME_MAPS.has(key));
    }
    if (names) return out;
    if (isInteger(out.type)) {
      if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = INT32_MAX;
      else if (typeof out.maximum === 'number' && out.maximum > INT32_MAX) out.maximum = INT32_MAX;
      if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = INT32_MIN;
      else if (typeof out.minimum === 'number' && out.minimum < INT32_MIN) out.minimum = INT32_MIN;
    }
    return out;
  };
  return walk(schema) as T;
}
