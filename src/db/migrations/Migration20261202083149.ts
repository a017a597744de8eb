import { Migration } from '@mikro-orm/migrations';

export class Migration20261202083149 extends Migration {

  override name = 'Migration20261202083149';

  override up(): void | Promise<void> {
    this.addSql(`create table "organization_attribute" ("organization_id" uuid not null, "bucket" varchar(64) not null, "name" varchar(70) not null, "value" jsonb null, "updated_at" timestamptz not null, primary key ("organization_id", "bucket", "name"));`);

    this.addSql(`alter table "organization_attribute" add constraint "organization_attribute_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "organization_attribute" cascade;`);
  }

}
