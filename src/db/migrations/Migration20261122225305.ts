import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122225305 = sqlMigration('Migration20261122225305', {
  up: [
    `create table "credential" ("id" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "type" varchar(16) not null, "label" varchar(255) null, "secret" text null, "params" jsonb null, "last_used_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,

    `create index "credential_person_id_type_index" on "credential" ("person_id", "type");`,

    `alter table "credential" add constraint "credential_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "credential" add constraint "credential_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,
  ],
  down: [
    `drop table if exists "credential" cascade;`,
  ],
});
