// Writes new migrations in the shape of src/db/sql-migration.ts: the statements, nothing else.
import { TSMigrationGenerator } from '@mikro-orm/migrations';

const literal = (sql: string) => `\`${sql.replace(/[`$\\]/g, '\\$&')}\``;

function list(statements: readonly string[]): string {
  // The generator's empty strings mark groups of statements: kept as blank lines.
  const lines = statements.map((sql) => (sql ? `    ${literal(sql)},` : ''));
  while (lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}

export class StatementsMigrationGenerator extends TSMigrationGenerator {
  override generateMigrationFile(className: string, diff: { up: string[]; down: string[] }): string {
    const down = diff.down.length ? `  down: [\n${list(diff.down)}\n  ],\n` : '';
    return `import { sqlMigration } from '../sql-migration.ts';\n\n`
      + `export const ${className} = sqlMigration('${className}', {\n  up: [\n${list(diff.up)}\n  ],\n${down}});\n`;
  }
}
