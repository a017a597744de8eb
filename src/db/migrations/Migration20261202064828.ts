import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202064828 = sqlMigration('Migration20261202064828', {
  up: [
    `alter table "oauth_token" alter column "scope" type text using ("scope"::text);`,
  ],
  down: [
    `alter table "oauth_token" alter column "scope" type varchar(2048) using ("scope"::varchar(2048));`,
  ],
});
