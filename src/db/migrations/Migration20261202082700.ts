import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202082700 = sqlMigration('Migration20261202082700', {
  up: [
    `create index "oauth_token_person_id_index" on "oauth_token" ("person_id");`,
  ],
  down: [
    `drop index "oauth_token_person_id_index";`,
  ],
});
