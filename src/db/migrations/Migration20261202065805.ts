import { Migration } from '@mikro-orm/migrations';

export class Migration20261202065805 extends Migration {

  override name = 'Migration20261202065805';

  override up(): void | Promise<void> {
    this.addSql(`alter table "access_group" add "updated_at" timestamptz null;`);

    this.addSql(`alter table "person" add "scim_profile" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "access_group" drop column "updated_at";`);

    this.addSql(`alter table "person" drop column "scim_profile";`);
  }

}
