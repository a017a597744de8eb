import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122231429 = sqlMigration('Migration20261122231429', {
  up: [
    `alter table "zkp_challenge" add "commitment" varchar(64) null;`,
  ],
  down: [
    `alter table "zkp_challenge" drop column "commitment";`,
  ],
});
