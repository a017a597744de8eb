import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122225655 = sqlMigration('Migration20261122225655', {
  up: [
    `create table "login_throttle" ("id" bigserial primary key, "organization_id" uuid not null, "kind" varchar(8) not null, "subject" varchar(128) not null, "failures" int not null default 0, "window_started_at" timestamptz not null, "block_level" int not null default 0, "blocked_at" timestamptz null, "block_seconds" int null, "blocked_until" timestamptz null);`,

    `create index "login_throttle_organization_id_kind_blocked_until_index" on "login_throttle" ("organization_id", "kind", "blocked_until");`,

    `alter table "login_throttle" add constraint "login_throttle_organization_id_kind_subject_unique" unique ("organization_id", "kind", "subject");`,

    `create table "outbox_message" ("id" bigserial primary key, "organization_id" uuid null, "channel" varchar(16) not null, "template" varchar(64) not null, "recipient" varchar(320) not null, "payload" jsonb null, "attempts" int not null default 0, "created_at" timestamptz not null, "sent_at" timestamptz null);`,

    `create index "outbox_message_sent_at_id_index" on "outbox_message" ("sent_at", "id");`,

    `create table "password_reset_code" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "code_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "password_reset_code" add constraint "password_reset_code_code_hash_unique" unique ("code_hash");`,

    `create index "password_reset_code_person_id_index" on "password_reset_code" ("person_id");`,

    `create table "session" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "created" jsonb not null, "token_issue" jsonb null, "last_access" jsonb null, "last_access_at" timestamptz null, "expires_at" timestamptz not null, "ended_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `create index "session_person_id_created_at_index" on "session" ("person_id", "created_at");`,

    `create table "login_ticket" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "session_id" uuid not null, "ticket_hash" varchar(64) not null, "auth_req_id" varchar(128) null, "method" varchar(16) not null, "need_verify" boolean not null, "login_data" jsonb null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "login_ticket" add constraint "login_ticket_ticket_hash_unique" unique ("ticket_hash");`,

    `create table "user_api_key" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "key_hash" varchar(64) not null, "name" varchar(128) not null, "scopes" jsonb not null, "is_active" boolean not null default true, "created" jsonb not null, "last_use" jsonb null, "last_used_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,

    `alter table "user_api_key" add constraint "user_api_key_key_hash_unique" unique ("key_hash");`,

    `create index "user_api_key_organization_id_created_at_index" on "user_api_key" ("organization_id", "created_at");`,

    `create index "user_api_key_person_id_index" on "user_api_key" ("person_id");`,

    `create table "zkp_challenge" ("id" uuid not null, "organization_id" uuid not null, "username" varchar(128) not null, "nonce" varchar(64) not null, "auth_req_id" varchar(128) null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `create index "zkp_challenge_expires_at_index" on "zkp_challenge" ("expires_at");`,

    `alter table "login_throttle" add constraint "login_throttle_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "outbox_message" add constraint "outbox_message_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "password_reset_code" add constraint "password_reset_code_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "password_reset_code" add constraint "password_reset_code_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "session" add constraint "session_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "session" add constraint "session_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "login_ticket" add constraint "login_ticket_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "login_ticket" add constraint "login_ticket_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "login_ticket" add constraint "login_ticket_session_id_foreign" foreign key ("session_id") references "session" ("id") on delete cascade;`,

    `alter table "user_api_key" add constraint "user_api_key_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "user_api_key" add constraint "user_api_key_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "zkp_challenge" add constraint "zkp_challenge_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,
  ],
  down: [
    `alter table "login_ticket" drop constraint "login_ticket_session_id_foreign";`,

    `drop table if exists "login_throttle" cascade;`,

    `drop table if exists "outbox_message" cascade;`,

    `drop table if exists "password_reset_code" cascade;`,

    `drop table if exists "session" cascade;`,

    `drop table if exists "login_ticket" cascade;`,

    `drop table if exists "user_api_key" cascade;`,

    `drop table if exists "zkp_challenge" cascade;`,
  ],
});
