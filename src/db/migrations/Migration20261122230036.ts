import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122230036 = sqlMigration('Migration20261122230036', {
  up: [
    `create table "access_group" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(100) not null, "description" text null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "access_group" add constraint "access_group_organization_id_name_unique" unique ("organization_id", "name");`,

    `create table "permission" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(1024) not null, "description" text null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "permission" add constraint "permission_organization_id_name_unique" unique ("organization_id", "name");`,

    `create table "password_reset" ("id" uuid not null, "person_id" uuid not null, "token_hash" varchar(64) not null, "force_change" boolean not null default false, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "password_reset" add constraint "password_reset_token_hash_unique" unique ("token_hash");`,

    `create index "password_reset_person_id_index" on "password_reset" ("person_id");`,

    `create table "group_member" ("group_id" uuid not null, "person_id" uuid not null, "created_at" timestamptz not null, primary key ("group_id", "person_id"));`,

    `create index "group_member_person_id_index" on "group_member" ("person_id");`,

    `create table "gdpr_consent" ("person_id" uuid not null, "level" varchar(16) not null, "created_at" timestamptz not null, primary key ("person_id", "level"));`,

    `create table "person_attribute" ("person_id" uuid not null, "bucket" varchar(64) not null, "name" varchar(70) not null, "organization_id" uuid not null, "value" jsonb null, "updated_at" timestamptz not null, primary key ("person_id", "bucket", "name"));`,

    `create table "person_permission" ("person_id" uuid not null, "permission_id" uuid not null, primary key ("person_id", "permission_id"));`,

    `create index "person_permission_permission_id_index" on "person_permission" ("permission_id");`,

    `create table "role" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(140) not null, "description" text null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "role" add constraint "role_organization_id_name_unique" unique ("organization_id", "name");`,

    `create table "person_role" ("person_id" uuid not null, "role_id" uuid not null, primary key ("person_id", "role_id"));`,

    `create index "person_role_role_id_index" on "person_role" ("role_id");`,

    `create table "role_permission" ("role_id" uuid not null, "permission_id" uuid not null, primary key ("role_id", "permission_id"));`,

    `create index "role_permission_permission_id_index" on "role_permission" ("permission_id");`,

    `alter table "access_group" add constraint "access_group_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "permission" add constraint "permission_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "password_reset" add constraint "password_reset_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "group_member" add constraint "group_member_group_id_foreign" foreign key ("group_id") references "access_group" ("id") on update cascade on delete cascade;`,

    `alter table "group_member" add constraint "group_member_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`,

    `alter table "gdpr_consent" add constraint "gdpr_consent_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "person_attribute" add constraint "person_attribute_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "person_attribute" add constraint "person_attribute_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "person_permission" add constraint "person_permission_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`,

    `alter table "person_permission" add constraint "person_permission_permission_id_foreign" foreign key ("permission_id") references "permission" ("id") on update cascade on delete cascade;`,

    `alter table "role" add constraint "role_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "person_role" add constraint "person_role_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`,

    `alter table "person_role" add constraint "person_role_role_id_foreign" foreign key ("role_id") references "role" ("id") on update cascade on delete cascade;`,

    `alter table "role_permission" add constraint "role_permission_role_id_foreign" foreign key ("role_id") references "role" ("id") on update cascade on delete cascade;`,

    `alter table "role_permission" add constraint "role_permission_permission_id_foreign" foreign key ("permission_id") references "permission" ("id") on update cascade on delete restrict;`,
  ],
  down: [
    `alter table "group_member" drop constraint "group_member_group_id_foreign";`,

    `alter table "person_permission" drop constraint "person_permission_permission_id_foreign";`,

    `alter table "role_permission" drop constraint "role_permission_permission_id_foreign";`,

    `alter table "person_role" drop constraint "person_role_role_id_foreign";`,

    `alter table "role_permission" drop constraint "role_permission_role_id_foreign";`,

    `drop table if exists "access_group" cascade;`,

    `drop table if exists "permission" cascade;`,

    `drop table if exists "password_reset" cascade;`,

    `drop table if exists "group_member" cascade;`,

    `drop table if exists "gdpr_consent" cascade;`,

    `drop table if exists "person_attribute" cascade;`,

    `drop table if exists "person_permission" cascade;`,

    `drop table if exists "role" cascade;`,

    `drop table if exists "person_role" cascade;`,

    `drop table if exists "role_permission" cascade;`,
  ],
});
