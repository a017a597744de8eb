import { Migration } from '@mikro-orm/migrations';

// How the person signed in (a brokered sign-in's method and SSO authentication) on each token, so
// tokens from the refresh_token grant still carry authenticated_methods / authentications.
export class Migration20261202133000 extends Migration {

  override name = 'Migration20261202133000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "oauth_token" add column "authentication" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "oauth_token" drop column "authentication";`);
  }

}
