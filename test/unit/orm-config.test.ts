// One MikroORM configuration (mikro-orm.config.ts) for the server, the migration script and the CLI;
// migrations are written without a snapshot file (docs/architecture.md "Migrations").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliConfig, { migrationsDir, ormOptions } from '../../mikro-orm.config.ts';

test('migrations are diffed without a snapshot, and none is committed', () => {
  const options = ormOptions('postgresql://u:p@127.0.0.1:1/idgraph_test_x');
  expect(options.migrations?.snapshot).toBe(false);
  expect(options.migrations?.path).toBe(migrationsDir);
  expect(fs.readdirSync(migrationsDir).filter((name) => name.startsWith('.snapshot'))).toEqual([]);
});

test('the CLI config names what to do when there is no database to reach', async () => {
  const saved = { url: process.env.DATABASE_URL, dir: process.env.DATA_DIR };
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'idgraph-no-db-'));
  try {
    await expect(cliConfig()).rejects.toThrow(/set DATABASE_URL, or start the server \(npm start\)/);
    process.env.DATABASE_URL = 'postgresql://u:p@127.0.0.1:1/somewhere';
    expect((await cliConfig()).clientUrl).toBe('postgresql://u:p@127.0.0.1:1/somewhere');
  } finally {
    fs.rmSync(process.env.DATA_DIR, { recursive: true, force: true });
    if (saved.url === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = saved.url;
    if (saved.dir === undefined) delete process.env.DATA_DIR; else process.env.DATA_DIR = saved.dir;
  }
});

test('a written migration holds only its statements and adds exactly them', async () => {
  const options = ormOptions('postgresql://u:p@127.0.0.1:1/idgraph_test_x');
  const Generator = options.migrations!.generator!;
  const generator = new Generator({} as never, {} as never, options.migrations as never) as unknown as
    { generateMigrationFile(name: string, diff: { up: string[]; down: string[] }): string };
  const up = ['create table "t" ("a" text not null default \'`${x}` \\\\ \');', '', 'create index "t_a" on "t" ("a");'];
  const down = ['drop table "t";'];
  const source = generator.generateMigrationFile('Migration20990101000000', { up, down });
  expect(source).not.toMatch(/class|override/);
  // Beside src/db/sql-migration.ts, as in src/db/migrations/, so its import resolves.
  const dir = fs.mkdtempSync(path.join(path.dirname(migrationsDir), '.generated-test-'));
  try {
    fs.writeFileSync(path.join(dir, 'Migration20990101000000.ts'), source);
    const { Migration20990101000000: Written } = await import(path.join(dir, 'Migration20990101000000.ts'));
    const migration = new Written({} as never, {} as never);
    const added: string[] = [];
    migration.addSql = (sql: string) => { added.push(sql); };
    migration.up();
    expect(added).toEqual([up[0], up[2]]);
    added.length = 0;
    migration.down();
    expect(added).toEqual(down);
    expect(migration.name).toBe('Migration20990101000000');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
