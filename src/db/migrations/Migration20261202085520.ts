import { Migration } from '@mikro-orm/migrations';

export class Migration20261202085520 extends Migration {

  override name = 'Migration20261202085520';

  override up(): void | Promise<void> {
    this.addSql(`alter table "organization" add "message_templates" jsonb null, add "token_template" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organization" drop column "message_templates", drop column "token_template";`);
  }

}
