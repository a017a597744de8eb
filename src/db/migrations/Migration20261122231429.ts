import { Migration } from '@mikro-orm/migrations';

export class Migration20261122231429 extends Migration {

  override name = 'Migration20261122231429';

  override up(): void | Promise<void> {
    this.addSql(`alter table "zkp_challenge" add "commitment" varchar(64) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "zkp_challenge" drop column "commitment";`);
  }

}
