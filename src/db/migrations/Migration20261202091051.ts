import { Migration } from '@mikro-orm/migrations';

export class Migration20261202091051 extends Migration {

  override name = 'Migration20261202091051';

  override up(): void | Promise<void> {
    this.addSql(`alter table "organization" add "kyc_config" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organization" drop column "kyc_config";`);
  }

}
