// A two-way name table between a wire object (snake_case, with the dialect's quirks such as
// `patter_size`) and its GraphQL type. From one table come the GraphQL selection (aliases give
// the wire names) and the conversion of request bodies into GraphQL input.
export interface WireField {
  wire: string;
  graph: string;
  fields?: WireField[];
}

export function selectionOf(fields: WireField[]): string {
  return fields.map((f) => {
    const alias = f.wire === f.graph ? f.graph : `${f.wire}: ${f.graph}`;
    return f.fields ? `${alias} { ${selectionOf(f.fields)} }` : alias;
  }).join(' ');
}

/** Copies the known wire fields of `body` into an object keyed by GraphQL names (nulls kept). */
export function toGraphInput(fields: WireField[], body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!(f.wire in body)) continue;
    const value = body[f.wire];
    out[f.graph] = f.fields && value !== null && typeof value === 'object'
      ? toGraphInput(f.fields, value as Record<string, unknown>)
      : value;
  }
  return out;
}

export const same = (...names: string[]): WireField[] => names.map((n) => ({ wire: n, graph: n }));

/**
 * `value` without the named keys that are null: where a wire type is not nullable, an optional
 * field that has no value is left out rather than answered as null.
 */
export function omitNulls<T extends Record<string, unknown>, K extends keyof T>(value: T, ...keys: K[]) {
  const out: Record<string, unknown> = { ...value };
  for (const k of keys) if (out[k as string] === null) delete out[k as string];
  return out as Omit<T, K> & { [P in K]?: Exclude<T[P], null> };
}

/** Wire fields whose GraphQL name is their camelCase (`is_2fa` → `is2fa`); quirks are written out. */
export const camelCased = (...wires: string[]): WireField[] =>
  wires.map((wire) => ({ wire, graph: wire.replace(/_(.)/g, (_, c: string) => c.toUpperCase()) }));
