import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202065805 = sqlMigration('Migration20261202065805', {
  up: [
    `alter table "access_group" add "updated_at" timestamptz null;`,

    `alter table "person" add "scim_profile" jsonb null;`,
  ],
  down: [
    `alter table "access_group" drop column "updated_at";`,

    `alter table "person" drop column "scim_profile";`,
  ],
});
