import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202084220 = sqlMigration('Migration20261202084220', {
  up: [
    `create index "person_regular_page_index" on "person" ("organization_id", "created_at", "id") where "person_type" = 'regular';`,
  ],
  down: [
    `drop index "person_regular_page_index";`,
  ],
});
