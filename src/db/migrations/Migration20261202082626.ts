import { Migration } from '@mikro-orm/migrations';

export class Migration20261202082626 extends Migration {

  override name = 'Migration20261202082626';

  override up(): void | Promise<void> {
    this.addSql(`create table "external_credential" ("id" uuid not null, "organization_id" uuid not null, "provider" text not null, "type" text not null, "label" varchar(255) not null, "sealed_content" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "external_credential_organization_id_created_at_index" on "external_credential" ("organization_id", "created_at");`);

    this.addSql(`alter table "external_credential" add constraint "external_credential_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "external_credential" add constraint "external_credential_provider_check" check ("provider" in ('google', 'onfido', 'shopify', 'generic'));`);
    this.addSql(`alter table "external_credential" add constraint "external_credential_type_check" check ("type" in ('api_key', 'client_credentials', 'user_pass', 'api_id_access', 'access_token', 'json_credentials'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "external_credential" cascade;`);
  }

}
