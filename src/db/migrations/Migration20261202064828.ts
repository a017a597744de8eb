import { Migration } from '@mikro-orm/migrations';

export class Migration20261202064828 extends Migration {

  override name = 'Migration20261202064828';

  override up(): void | Promise<void> {
    this.addSql(`alter table "oauth_token" alter column "scope" type text using ("scope"::text);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "oauth_token" alter column "scope" type varchar(2048) using ("scope"::varchar(2048));`);
  }

}
