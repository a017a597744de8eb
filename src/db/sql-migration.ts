// A migration is its statements: what `npm run migration:create` diffs out of the entities, or a
// statement added by hand. One class serves them all, so each file holds only its SQL.
import type { Constructor } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

export interface MigrationStatements {
  /** Run in order; MikroORM's generator separates groups with an empty string, which is skipped. */
  up: readonly string[];
  /** Without it, the migration cannot be reverted (MikroORM's default `down`). */
  down?: readonly string[];
}

export function sqlMigration(name: string, statements: MigrationStatements): Constructor<Migration> {
  const add = (migration: Migration, sql: readonly string[]) => {
    for (const statement of sql) if (statement) migration.addSql(statement);
  };
  return class extends Migration {
    override name = name;
    override up(): void { add(this, statements.up); }
    override down(): void | Promise<void> {
      if (!statements.down) return super.down();
      add(this, statements.down);
    }
  };
}
