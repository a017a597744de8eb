import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202082626 = sqlMigration('Migration20261202082626', {
  up: [
    `create table "external_credential" ("id" uuid not null, "organization_id" uuid not null, "provider" text not null, "type" text not null, "label" varchar(255) not null, "sealed_content" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,

    `create index "external_credential_organization_id_created_at_index" on "external_credential" ("organization_id", "created_at");`,

    `alter table "external_credential" add constraint "external_credential_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "external_credential" add constraint "external_credential_provider_check" check ("provider" in ('google', 'onfido', 'shopify', 'generic'));`,

    `alter table "external_credential" add constraint "external_credential_type_check" check ("type" in ('api_key', 'client_credentials', 'user_pass', 'api_id_access', 'access_token', 'json_credentials'));`,
  ],
  down: [
    `drop table if exists "external_credential" cascade;`,
  ],
});
