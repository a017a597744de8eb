import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122233812 = sqlMigration('Migration20261122233812', {
  up: [
    `create index "oauth_token_sid_index" on "oauth_token" ("sid");`,

    `alter table "session" add "cookie_hash" varchar(64) null;`,

    `alter table "session" add constraint "session_cookie_hash_unique" unique ("cookie_hash");`,

    // One session model: live browser sessions move over with their sid as id (so tokens keep
    // their session) and their cookie hash (so browsers stay signed in). Added by hand.

    `insert into "session" ("id", "organization_id", "person_id", "created", "expires_at", "created_at", "cookie_hash")
      select "sid", "organization_id", "person_id",
             jsonb_build_object('at', to_char("auth_time" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'ip', null, 'country', null, 'userAgent', null),
             "expires_at", "created_at", "id"
      from "login_session" where "ended_at" is null and "expires_at" > now()
      on conflict do nothing;`,

    `drop table if exists "login_session" cascade;`,
  ],
  down: [
    `create table "login_session" ("id" varchar(64) not null, "sid" uuid not null, "organization_id" uuid not null, "person_id" uuid not null, "auth_time" timestamptz(6) not null, "expires_at" timestamptz(6) not null, "ended_at" timestamptz(6) null, "created_at" timestamptz(6) not null, primary key ("id"));`,

    `alter table "login_session" add constraint "login_session_sid_unique" unique ("sid");`,

    `drop index "oauth_token_sid_index";`,

    `alter table "session" drop constraint "session_cookie_hash_unique";`,

    `alter table "session" drop column "cookie_hash";`,

    `alter table "login_session" add constraint "login_session_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update no action on delete cascade;`,

    `alter table "login_session" add constraint "login_session_person_id_foreign" foreign key ("person_id") references "person" ("id") on update no action on delete cascade;`,
  ],
});
