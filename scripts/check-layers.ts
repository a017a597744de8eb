// The shape of src/ (and mikro-orm.config.ts), checked: layers point one way and no module imports
// itself back.
//
//   - No import cycle among src/**/*.ts, type-only imports included (they are how a cycle starts).
//   - src/domain/** imports nothing from the faces (src/graphql, src/rest, src/oidc, src/http).
//   - Data access goes through queries: only *.queries.ts call the EntityManager's reads and
//     statements (find, findOne, execute, nativeDelete, …) in src/domain/**, and src/graphql calls
//     none (resolvers call services; loaders call queries). `em.create`, `em.flush` and `em.remove` in a service
//     are the unit of work and stay there. Resolvers import no *.queries.ts.
//
// `node scripts/check-layers.ts` prints what is wrong and exits 1; test/unit/layers.test.ts runs
// the same check. The import graph comes from dpdm (the TypeScript compiler's parse).
import fs from 'node:fs';
import path from 'node:path';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';

const ROOT = path.resolve(import.meta.dirname, '..');
const FACES = ['src/graphql/', 'src/rest/', 'src/oidc/', 'src/http/'];

/** EntityManager methods that read or run a statement: these belong in *.queries.ts. */
const QUERY_CALL =
  /\b(?:em|tx|trx)\.(find|findOne|findOneOrFail|findAndCount|findAll|count|execute|nativeDelete|nativeUpdate|nativeInsert|upsert|upsertMany|insert|insertMany|getConnection|createQueryBuilder|populate|refresh|lock)\s*[<(]/g;

export interface LayerReport {
  cycles: string[][];
  faceImports: string[];
  queriesOutsideQueries: string[];
  resolversOnQueries: string[];
}

const inScope = (file: string) => file.startsWith('src/') || file === 'mikro-orm.config.ts';

/** The import graph of src/ and mikro-orm.config.ts: relative paths, packages left out. */
export async function importGraph(root = ROOT): Promise<DependencyTree> {
  const raw = await parseDependencyTree(['src/**/*.ts', 'mikro-orm.config.ts'], { context: root, cwd: root, transform: false });
  const tree: DependencyTree = {};
  for (const [file, deps] of Object.entries(raw)) {
    const from = path.relative(root, path.resolve(root, file));
    if (!inScope(from)) continue;
    tree[from] = (deps ?? [])
      .filter((d) => d.id !== null)
      .map((d) => ({ ...d, issuer: from, id: path.relative(root, path.resolve(root, d.id!)) }))
      .filter((d) => inScope(d.id!));
  }
  return tree;
}

function queryCallsIn(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(QUERY_CALL)].map((m) => {
    const line = text.slice(0, m.index).split('\n').length;
    return `${file}:${line} ${m[0]}`;
  });
}

/** Checks the project at `root` (this checkout unless a test points it elsewhere). */
export async function checkLayers(root = ROOT): Promise<LayerReport> {
  const tree = await importGraph(root);
  const files = Object.keys(tree);
  const faceImports = files
    .filter((f) => f.startsWith('src/domain/'))
    .flatMap((f) => (tree[f] ?? []).filter((d) => FACES.some((face) => d.id!.startsWith(face))).map((d) => `${f} -> ${d.id}`));
  const dataFiles = files.filter((f) =>
    (f.startsWith('src/domain/') && !f.endsWith('.queries.ts'))
    || f.startsWith('src/graphql/'));
  const resolversOnQueries = files
    .filter((f) => f.startsWith('src/graphql/resolvers/'))
    .flatMap((f) => (tree[f] ?? []).filter((d) => d.id!.endsWith('.queries.ts')).map((d) => `${f} -> ${d.id}`));
  return { cycles: parseCircular(tree), faceImports, queriesOutsideQueries: dataFiles.flatMap((f) => queryCallsIn(root, f)), resolversOnQueries };
}

export function describe(report: LayerReport): string[] {
  return [
    ...report.cycles.map((c) => `import cycle: ${[...c, c[0]].join(' -> ')}`),
    ...report.faceImports.map((i) => `the domain imports a face: ${i}`),
    ...report.queriesOutsideQueries.map((q) => `a database call outside *.queries.ts: ${q}`),
    ...report.resolversOnQueries.map((i) => `a resolver imports queries (call a service or a loader): ${i}`),
  ];
}

if (import.meta.main) {
  const problems = describe(await checkLayers());
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problem(s)` : 'layers: no cycle, no face import, data access in *.queries.ts');
  process.exitCode = problems.length ? 1 : 0;
}
