import { Migration } from '@mikro-orm/migrations';

export class Migration20261202081822 extends Migration {

  override name = 'Migration20261202081822';

  override up(): void | Promise<void> {
    this.addSql(`alter table "access_group" add "display_name" varchar(256) null, add "external_id" varchar(255) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "access_group" drop column "display_name", drop column "external_id";`);
  }

}
