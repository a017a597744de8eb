import { Migration } from '@mikro-orm/migrations';

export class Migration20261202081539 extends Migration {

  override name = 'Migration20261202081539';

  override up(): void | Promise<void> {
    this.addSql(`alter table "organization" add "persons_pool_id" uuid null, add "groups_pool_id" uuid null, add "inherits_rbac_pools" boolean not null default false;`);
    this.addSql(`alter table "organization" add constraint "organization_persons_pool_id_foreign" foreign key ("persons_pool_id") references "organization" ("id") on delete no action;`);
    this.addSql(`alter table "organization" add constraint "organization_groups_pool_id_foreign" foreign key ("groups_pool_id") references "organization" ("id") on delete no action;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organization" drop constraint "organization_persons_pool_id_foreign";`);
    this.addSql(`alter table "organization" drop constraint "organization_groups_pool_id_foreign";`);

    this.addSql(`alter table "organization" drop column "persons_pool_id", drop column "groups_pool_id", drop column "inherits_rbac_pools";`);
  }

}
