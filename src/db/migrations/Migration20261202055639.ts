import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202055639 = sqlMigration('Migration20261202055639', {
  up: [
    `create table "audit_event" ("id" uuid not null, "at" timestamptz not null, "organization_id" uuid not null, "actor_kind" varchar(32) not null, "actor_id" varchar(128) null, "actor_person_id" uuid null, "operation" varchar(64) not null, "targets" jsonb not null, "ip" varchar(64) null, "user_agent" varchar(512) null, "request_id" varchar(64) null, primary key ("id"));`,

    `create index "audit_event_organization_id_at_index" on "audit_event" ("organization_id", "at");`,
  ],
  down: [
    `drop table if exists "audit_event" cascade;`,
  ],
});
