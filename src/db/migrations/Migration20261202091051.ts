import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202091051 = sqlMigration('Migration20261202091051', {
  up: [
    `alter table "organization" add "kyc_config" jsonb null;`,
  ],
  down: [
    `alter table "organization" drop column "kyc_config";`,
  ],
});
