import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202084633 = sqlMigration('Migration20261202084633', {
  up: [
    `alter table "organization" add "allowed_domains" jsonb null;`,
  ],
  down: [
    `alter table "organization" drop column "allowed_domains";`,
  ],
});
