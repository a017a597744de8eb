import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202122500 = sqlMigration('Migration20261202122500', {
  up: [
    `alter table "webhook_signing_key" add "retires_at" timestamptz null;`,
  ],
  down: [
    `alter table "webhook_signing_key" drop column "retires_at";`,
  ],
});
