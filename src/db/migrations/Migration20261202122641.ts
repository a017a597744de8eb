import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202122641 = sqlMigration('Migration20261202122641', {
  up: [
    `create table "sso_oidc_credential" ("id" uuid not null, "organization_id" uuid not null, "provider" text not null, "client_id" varchar(255) not null, "label" varchar(255) not null default '', "sealed_secret" text not null, "options" jsonb not null default '{}', "external_cred_id" varchar(64) null, "enable_in_authz_server" boolean not null default false, "metadata" jsonb null, "metadata_fetched_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,

    `alter table "sso_oidc_credential" add constraint "sso_oidc_credential_organization_id_client_id_unique" unique ("organization_id", "client_id");`,

    `create table "sso_oidc_login" ("state_hash" varchar(64) not null, "organization_id" uuid not null, "auth_req_id" varchar(64) not null, "credential_id" uuid not null, "sealed_verifier" text not null, "nonce" varchar(64) not null, "redirect_uri" varchar(600) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("state_hash"));`,

    `create table "sso_oidc_token" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "authentication_id" uuid not null, "token_type" text not null, "sealed_token" text not null, "expires_at" timestamptz not null, "provider" varchar(32) not null, "client_id" varchar(255) not null, "credential_id" uuid null, "extra_callback_values" jsonb null, "created_at" timestamptz not null, primary key ("id"));`,

    `create index "sso_oidc_token_person_id_authentication_id_index" on "sso_oidc_token" ("person_id", "authentication_id");`,

    `create table "upstream_identity" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "kind" text not null, "provider_id" varchar(255) not null, "subject" varchar(255) not null, "email" varchar(320) null, "created_at" timestamptz not null, "last_sign_in_at" timestamptz not null, primary key ("id"));`,

    `create index "upstream_identity_person_id_index" on "upstream_identity" ("person_id");`,

    `alter table "upstream_identity" add constraint "upstream_identity_organization_id_kind_provider_i_fe7a4_unique" unique ("organization_id", "kind", "provider_id", "subject");`,

    `alter table "authorize_request" add "authentication" jsonb null;`,

    `alter table "sso_oidc_credential" add constraint "sso_oidc_credential_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "sso_oidc_credential" add constraint "sso_oidc_credential_provider_check" check ("provider" in ('google', 'github', 'bitbucket', 'gitlab', 'facebook', 'line', 'azuread', 'okta', 'apple', 'oidc'));`,

    `alter table "sso_oidc_login" add constraint "sso_oidc_login_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "sso_oidc_token" add constraint "sso_oidc_token_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "sso_oidc_token" add constraint "sso_oidc_token_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "sso_oidc_token" add constraint "sso_oidc_token_token_type_check" check ("token_type" in ('access', 'refresh', 'id'));`,

    `alter table "upstream_identity" add constraint "upstream_identity_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "upstream_identity" add constraint "upstream_identity_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "upstream_identity" add constraint "upstream_identity_kind_check" check ("kind" in ('oidc', 'saml'));`,
  ],
  down: [
    `drop table if exists "sso_oidc_credential" cascade;`,

    `drop table if exists "sso_oidc_login" cascade;`,

    `drop table if exists "sso_oidc_token" cascade;`,

    `drop table if exists "upstream_identity" cascade;`,

    `alter table "authorize_request" drop column "authentication";`,
  ],
});
