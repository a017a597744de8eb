import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202122959 = sqlMigration('Migration20261202122959', {
  up: [
    `create table "saml_provider" ("id" uuid not null, "organization_id" uuid not null, "label" varchar(255) not null, "idp_metadata_url" varchar(2048) not null, "email_claims" jsonb not null, "enable_in_oidc_authz_server" boolean not null default false, "idp_entity_id" varchar(1024) not null, "idp_metadata" text not null, "metadata_fetched_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,

    `create index "saml_provider_organization_id_created_at_index" on "saml_provider" ("organization_id", "created_at");`,

    `create table "saml_assertion_use" ("provider_id" uuid not null, "assertion_id" varchar(256) not null, "expires_at" timestamptz not null, primary key ("provider_id", "assertion_id"));`,

    `create table "saml_request" ("id" varchar(64) not null, "organization_id" uuid not null, "provider_id" uuid not null, "authorize_request_id" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "saml_provider" add constraint "saml_provider_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "saml_assertion_use" add constraint "saml_assertion_use_provider_id_foreign" foreign key ("provider_id") references "saml_provider" ("id") on delete cascade;`,

    `alter table "saml_request" add constraint "saml_request_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "saml_request" add constraint "saml_request_provider_id_foreign" foreign key ("provider_id") references "saml_provider" ("id") on delete cascade;`,

    `alter table "saml_request" add constraint "saml_request_authorize_request_id_foreign" foreign key ("authorize_request_id") references "authorize_request" ("id") on delete cascade;`,
  ],
  down: [
    `alter table "saml_assertion_use" drop constraint "saml_assertion_use_provider_id_foreign";`,

    `alter table "saml_request" drop constraint "saml_request_provider_id_foreign";`,

    `drop table if exists "saml_provider" cascade;`,

    `drop table if exists "saml_assertion_use" cascade;`,

    `drop table if exists "saml_request" cascade;`,
  ],
});
