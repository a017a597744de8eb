import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122224728 = sqlMigration('Migration20261122224728', {
  up: [
    `create table "organization" ("id" uuid not null, "name" varchar(255) not null, "parent_id" uuid null, "tenant_id" varchar(128) not null, "tenant_settings" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,

    `alter table "organization" add constraint "organization_tenant_id_unique" unique ("tenant_id");`,

    `create table "api_key" ("id" uuid not null, "organization_id" uuid not null, "key_hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`,

    `alter table "api_key" add constraint "api_key_key_hash_unique" unique ("key_hash");`,

    `create table "person" ("id" uuid not null, "organization_id" uuid not null, "active" boolean not null default true, "region" varchar(32) not null, "person_type" varchar(16) not null default 'regular', "is_verified" boolean not null default false, "locale" varchar(35) null, "external_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,

    `create index "person_organization_id_created_at_index" on "person" ("organization_id", "created_at");`,

    `create table "handle" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "type" varchar(16) not null, "value" varchar(320) not null, "normalized" varchar(320) not null, "created_at" timestamptz not null, primary key ("id"));`,

    `create index "handle_person_id_index" on "handle" ("person_id");`,

    `alter table "handle" add constraint "handle_organization_id_type_normalized_unique" unique ("organization_id", "type", "normalized");`,

    `alter table "organization" add constraint "organization_parent_id_foreign" foreign key ("parent_id") references "organization" ("id") on delete cascade;`,

    `alter table "api_key" add constraint "api_key_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "person" add constraint "person_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "handle" add constraint "handle_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "handle" add constraint "handle_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,
  ],
});
