import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202085520 = sqlMigration('Migration20261202085520', {
  up: [
    `alter table "organization" add "message_templates" jsonb null, add "token_template" text null;`,
  ],
  down: [
    `alter table "organization" drop column "message_templates", drop column "token_template";`,
  ],
});
