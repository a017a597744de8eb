// Derives test/fixtures/slashid-openapi.structure.json from the reference OpenAPI document:
// only its structure, none of its prose. Per operation: operationId, parameters, whether it takes
// a body, its statuses and the schema of each success response's JSON body; under `schemas`, every
// component schema those bodies reach, reduced to the keywords that say what a value may be
// (types, required, properties, items, enums, nullable, compositions, formats). Descriptions,
// examples, titles and defaults are left out.
// Usage: node scripts/extract-openapi-structure.ts <path to slashid-openapi.yaml>
import fs from 'node:fs';
import { parse } from 'yaml';

const source = process.argv[2];
if (!source) throw new Error('Usage: node scripts/extract-openapi-structure.ts <slashid-openapi.yaml>');
const doc = parse(fs.readFileSync(source, 'utf8'));

const deref = (node: any): any => {
  if (!node?.$ref) return node;
  const target = node.$ref.replace('#/', '').split('/').reduce((at: any, key: string) => at[key], doc);
  return deref(target);
};

// Keywords that constrain a value; everything else (description, example, title, default,
// discriminator, deprecated, …) is prose or tooling and stays out.
const STRUCTURAL = new Set([
  'type', 'required', 'properties', 'additionalProperties', 'items', 'enum', 'nullable', 'format',
  'allOf', 'oneOf', 'anyOf', 'not', '$ref', 'minItems', 'maxItems', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern',
]);
const COMPONENT_REF = '#/components/schemas/';
const reached = new Set<string>();

/** The structural part of a schema; records the component schemas it refers to. */
function structureOf(schema: any): any {
  if (schema === true || schema === false) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries<any>(schema)) {
    if (!STRUCTURAL.has(key)) continue;
    if (key === '$ref') {
      if (!value.startsWith(COMPONENT_REF)) throw new Error(`unexpected $ref ${value}`);
      reached.add(value.slice(COMPONENT_REF.length));
      out.$ref = value;
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries<any>(value).map(([name, s]) => [name, structureOf(s)]));
    } else if (key === 'items' || key === 'not' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = structureOf(value);
    } else if (key === 'allOf' || key === 'oneOf' || key === 'anyOf') {
      out[key] = value.map(structureOf);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const paths: Record<string, Record<string, unknown>> = {};
for (const [path, item] of Object.entries<any>(doc.paths)) {
  const shared = (item.parameters ?? []).map(deref);
  for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
    const op = item[method];
    if (!op) continue;
    const parameters = [...shared, ...(op.parameters ?? []).map(deref)].map((p: any) => ({
      name: p.name, in: p.in, required: p.required === true,
    }));
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
      const json = deref(response).content?.['application/json']?.schema;
      if (status.startsWith('2') && json) responses[status] = structureOf(json);
    }
    (paths[path] ??= {})[method] = {
      operationId: op.operationId,
      parameters,
      requestBody: Boolean(op.requestBody),
      statuses: Object.keys(op.responses ?? {}).sort(),
      ...(Object.keys(responses).length ? { responses } : {}),
    };
  }
}

// Component schemas reached from a success body, transitively.
const schemas: Record<string, unknown> = {};
for (let pending = [...reached]; pending.length; pending = [...reached].filter((n) => !(n in schemas))) {
  for (const name of pending) {
    const schema = doc.components.schemas[name];
    if (!schema) throw new Error(`missing component schema ${name}`);
    schemas[name] = structureOf(schema);
  }
}
const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync('test/fixtures/slashid-openapi.structure.json',
  JSON.stringify({ paths, components: { schemas: sorted } }, null, 1) + '\n');
console.log(`wrote ${Object.keys(paths).length} paths, ${Object.keys(sorted).length} response schemas`);
