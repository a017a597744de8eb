import { sqlMigration } from '../sql-migration.ts';

// How the person signed in (a brokered sign-in's method and SSO authentication) on each token, so
// tokens from the refresh_token grant still carry authenticated_methods / authentications.
export const Migration20261202133000 = sqlMigration('Migration20261202133000', {
  up: [
    `alter table "oauth_token" add column "authentication" jsonb null;`,
  ],
  down: [
    `alter table "oauth_token" drop column "authentication";`,
  ],
});
