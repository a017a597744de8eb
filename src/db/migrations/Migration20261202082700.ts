import { Migration } from '@mikro-orm/migrations';

export class Migration20261202082700 extends Migration {

  override name = 'Migration20261202082700';

  override up(): void | Promise<void> {
    this.addSql(`create index "oauth_token_person_id_index" on "oauth_token" ("person_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "oauth_token_person_id_index";`);
  }

}
