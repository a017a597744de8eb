import { Migration } from '@mikro-orm/migrations';

export class Migration20261202122500 extends Migration {

  override name = 'Migration20261202122500';

  override up(): void | Promise<void> {
    this.addSql(`alter table "webhook_signing_key" add "retires_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_signing_key" drop column "retires_at";`);
  }

}
