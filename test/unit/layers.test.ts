// The shape of src/ stays as docs/architecture.md draws it (scripts/check-layers.ts): no import
// cycle, no import of a face from the domain, database calls only in *.queries.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLayers, describe as describeProblems } from '../../scripts/check-layers.ts';

test('src/ has no import cycle, the domain imports no face, data access is in *.queries.ts', async () => {
  expect(describeProblems(await checkLayers())).toEqual([]);
});

test('the check sees each kind of problem (a project written to break every rule)', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idgraph-layers-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  try {
    write('src/domain/a/a.service.ts', "import { b } from '../b/b.service.ts';\nexport const a = (em: any) => em.find('A', {});\n");
    write('src/domain/b/b.service.ts', "import type { T } from '../a/a.service.ts';\nexport const b = 1;\n");
    write('src/domain/b/b.queries.ts', "export const q = (em: any) => em.execute<number[]>('select 1');\n");
    write('src/domain/c.ts', "import type { X } from '../graphql/generated/types.ts';\nimport { e } from '../http/errors.ts';\n");
    write('src/graphql/generated/types.ts', 'export type X = 1;\n');
    write('src/http/errors.ts', 'export const e = 1;\n');
    write('src/graphql/resolvers/r.ts', "import { q } from '../../domain/b/b.queries.ts';\nexport const r = (em: any) => em.findOneOrFail('P', {});\n");

    const report = await checkLayers(root);
    expect(report.cycles.map((cycle) => [...cycle].sort())).toEqual([['src/domain/a/a.service.ts', 'src/domain/b/b.service.ts']]);
    expect(report.faceImports.sort()).toEqual([
      'src/domain/c.ts -> src/graphql/generated/types.ts',
      'src/domain/c.ts -> src/http/errors.ts',
    ]);
    expect(report.queriesOutsideQueries.sort()).toEqual([
      'src/domain/a/a.service.ts:2 em.find(',
      'src/graphql/resolvers/r.ts:2 em.findOneOrFail(',
    ]);
    expect(report.resolversOnQueries).toEqual(['src/graphql/resolvers/r.ts -> src/domain/b/b.queries.ts']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
