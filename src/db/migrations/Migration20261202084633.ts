import { Migration } from '@mikro-orm/migrations';

export class Migration20261202084633 extends Migration {

  override name = 'Migration20261202084633';

  override up(): void | Promise<void> {
    this.addSql(`alter table "organization" add "allowed_domains" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organization" drop column "allowed_domains";`);
  }

}
