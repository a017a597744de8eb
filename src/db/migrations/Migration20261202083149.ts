import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202083149 = sqlMigration('Migration20261202083149', {
  up: [
    `create table "organization_attribute" ("organization_id" uuid not null, "bucket" varchar(64) not null, "name" varchar(70) not null, "value" jsonb null, "updated_at" timestamptz not null, primary key ("organization_id", "bucket", "name"));`,

    `alter table "organization_attribute" add constraint "organization_attribute_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,
  ],
  down: [
    `drop table if exists "organization_attribute" cascade;`,
  ],
});
