import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122230926 = sqlMigration('Migration20261122230926', {
  up: [
    `create table "oauth_client" ("id" uuid not null, "client_id" varchar(128) not null, "organization_id" uuid not null, "name" varchar(255) not null, "secret_hash" varchar(64) null, "public" boolean not null default false, "grant_types" jsonb not null, "scopes" jsonb not null, "redirect_uris" jsonb not null, "post_logout_redirect_uris" jsonb not null, "access_token_duration" int not null default 86400, "refresh_token_duration" int not null default 864000, "sign_alg" varchar(16) not null default 'EdDSA', "is_lock" boolean not null default false, "third_party" boolean not null default false, "token_endpoint_auth_method" varchar(32) not null default 'client_secret_basic', "details" jsonb not null, "ui_configuration" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_used_at" timestamptz null, primary key ("id"));`,

    `alter table "oauth_client" add constraint "oauth_client_client_id_unique" unique ("client_id");`,

    `create index "oauth_client_organization_id_created_at_index" on "oauth_client" ("organization_id", "created_at");`,

    `create table "oauth_token" ("token_hash" varchar(64) not null, "kind" varchar(16) not null, "grant_id" uuid not null, "organization_id" uuid not null, "client_id" uuid not null, "person_id" uuid null, "issuer" varchar(512) not null, "scope" varchar(2048) not null, "auth_time" timestamptz null, "sid" uuid null, "issued_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("token_hash"));`,

    `create index "oauth_token_grant_id_index" on "oauth_token" ("grant_id");`,

    `create index "oauth_token_expires_at_index" on "oauth_token" ("expires_at");`,

    `create table "login_session" ("id" varchar(64) not null, "sid" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "auth_time" timestamptz not null, "expires_at" timestamptz not null, "ended_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "login_session" add constraint "login_session_sid_unique" unique ("sid");`,

    `create table "authorize_request" ("id" varchar(64) not null, "organization_id" uuid not null, "client_id" uuid not null, "issuer" varchar(512) not null, "params" jsonb not null, "browser_binding" varchar(64) not null, "csrf_token" varchar(64) not null, "status" varchar(16) not null default 'pending', "person_id" uuid null, "auth_time" timestamptz null, "session_id" varchar(64) null, "code_hash" varchar(64) null, "code_expires_at" timestamptz null, "code_used_at" timestamptz null, "grant_id" uuid null, "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "authorize_request" add constraint "authorize_request_code_hash_unique" unique ("code_hash");`,

    `create table "signing_key" ("kid" varchar(64) not null, "alg" varchar(16) not null, "public_jwk" jsonb not null, "private_jwk_encrypted" text not null, "created_at" timestamptz not null, "rotated_at" timestamptz null, "retires_at" timestamptz null, primary key ("kid"));`,

    `create index "signing_key_alg_created_at_index" on "signing_key" ("alg", "created_at");`,

    `create table "user_token" ("jti" varchar(32) not null, "organization_id" uuid not null, "person_id" uuid not null, "issued_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("jti"));`,

    `create index "user_token_expires_at_index" on "user_token" ("expires_at");`,

    `alter table "oauth_client" add constraint "oauth_client_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "oauth_token" add constraint "oauth_token_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "oauth_token" add constraint "oauth_token_client_id_foreign" foreign key ("client_id") references "oauth_client" ("id") on delete cascade;`,

    `alter table "oauth_token" add constraint "oauth_token_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "login_session" add constraint "login_session_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "login_session" add constraint "login_session_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "authorize_request" add constraint "authorize_request_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "authorize_request" add constraint "authorize_request_client_id_foreign" foreign key ("client_id") references "oauth_client" ("id") on delete cascade;`,

    `alter table "authorize_request" add constraint "authorize_request_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "user_token" add constraint "user_token_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "user_token" add constraint "user_token_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,
  ],
  down: [
    `alter table "oauth_token" drop constraint "oauth_token_client_id_foreign";`,

    `alter table "authorize_request" drop constraint "authorize_request_client_id_foreign";`,

    `drop table if exists "oauth_client" cascade;`,

    `drop table if exists "oauth_token" cascade;`,

    `drop table if exists "login_session" cascade;`,

    `drop table if exists "authorize_request" cascade;`,

    `drop table if exists "signing_key" cascade;`,

    `drop table if exists "user_token" cascade;`,
  ],
});
