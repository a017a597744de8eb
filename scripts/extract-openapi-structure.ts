// Derives test/fixtures/slashid-openapi.structure.json from the reference OpenAPI document:
// only its structure (paths, methods, operationIds, parameters, statuses), none of its prose.
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

const structure: Record<string, Record<string, unknown>> = {};
for (const [path, item] of Object.entries<any>(doc.paths)) {
  const shared = (item.parameters ?? []).map(deref);
  for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
    const op = item[method];
    if (!op) continue;
    const parameters = [...shared, ...(op.parameters ?? []).map(deref)].map((p: any) => ({
      name: p.name, in: p.in, required: p.required === true,
    }));
    (structure[path] ??= {})[method] = {
      operationId: op.operationId,
      parameters,
      requestBody: Boolean(op.requestBody),
      statuses: Object.keys(op.responses ?? {}).sort(),
    };
  }
}
fs.writeFileSync('test/fixtures/slashid-openapi.structure.json', JSON.stringify(structure, null, 1) + '\n');
console.log(`wrote ${Object.keys(structure).length} paths`);
