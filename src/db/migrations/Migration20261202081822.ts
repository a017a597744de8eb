import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202081822 = sqlMigration('Migration20261202081822', {
  up: [
    `alter table "access_group" add "display_name" varchar(256) null, add "external_id" varchar(255) null;`,
  ],
  down: [
    `alter table "access_group" drop column "display_name", drop column "external_id";`,
  ],
});
