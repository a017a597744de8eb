import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202080920 = sqlMigration('Migration20261202080920', {
  up: [
    `create table "webhook" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(255) not null, "description" text null, "target_url" varchar(2000) not null, "custom_headers_sealed" text null, "timeout_ms" int not null default 0, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "webhook" add constraint "webhook_organization_id_target_url_unique" unique ("organization_id", "target_url");`,

    `create table "event_outbox" ("id" uuid not null, "organization_id" uuid not null, "event_name" varchar(128) not null, "content" jsonb not null, "created_at" timestamptz not null, "fanned_out_at" timestamptz null, primary key ("id"));`,

    `create index "event_outbox_fanned_out_at_created_at_index" on "event_outbox" ("fanned_out_at", "created_at");`,

    `create index "event_outbox_organization_id_created_at_index" on "event_outbox" ("organization_id", "created_at");`,

    `create table "webhook_delivery" ("id" uuid not null, "event_id" uuid not null, "webhook_id" uuid not null, "status" text not null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_error" varchar(500) null, "last_status_code" int null, "last_attempt_at" timestamptz null, "delivered_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `create index "webhook_delivery_status_next_attempt_at_index" on "webhook_delivery" ("status", "next_attempt_at");`,

    `create index "webhook_delivery_webhook_id_created_at_index" on "webhook_delivery" ("webhook_id", "created_at");`,

    `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_webhook_id_unique" unique ("event_id", "webhook_id");`,

    `create table "webhook_signing_key" ("kid" varchar(64) not null, "public_jwk" jsonb not null, "private_jwk_sealed" text not null, "created_at" timestamptz not null, primary key ("kid"));`,

    `create table "webhook_trigger" ("id" bigserial primary key, "webhook_id" uuid not null, "trigger_type" text not null, "trigger_name" varchar(128) not null, "created_at" timestamptz not null);`,

    `alter table "webhook_trigger" add constraint "webhook_trigger_webhook_id_trigger_type_trigger_name_unique" unique ("webhook_id", "trigger_type", "trigger_name");`,

    `alter table "webhook" add constraint "webhook_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "event_outbox" ("id") on delete cascade;`,

    `alter table "webhook_delivery" add constraint "webhook_delivery_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on delete cascade;`,

    `alter table "webhook_delivery" add constraint "webhook_delivery_status_check" check ("status" in ('pending', 'delivered', 'failed'));`,

    `alter table "webhook_trigger" add constraint "webhook_trigger_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on delete cascade;`,

    `alter table "webhook_trigger" add constraint "webhook_trigger_trigger_type_check" check ("trigger_type" in ('event', 'sync_hook'));`,
  ],
  down: [
    `alter table "webhook_delivery" drop constraint "webhook_delivery_webhook_id_foreign";`,

    `alter table "webhook_trigger" drop constraint "webhook_trigger_webhook_id_foreign";`,

    `alter table "webhook_delivery" drop constraint "webhook_delivery_event_id_foreign";`,

    `drop table if exists "webhook" cascade;`,

    `drop table if exists "event_outbox" cascade;`,

    `drop table if exists "webhook_delivery" cascade;`,

    `drop table if exists "webhook_signing_key" cascade;`,

    `drop table if exists "webhook_trigger" cascade;`,
  ],
});
