import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202080855 = sqlMigration('Migration20261202080855', {
  up: [
    `create table "webauthn_challenge" ("id" uuid not null, "organization_id" uuid not null, "purpose" text not null, "challenge" varchar(64) not null, "person_id" uuid null, "auth_req_id" varchar(128) null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,

    `alter table "webauthn_challenge" add constraint "webauthn_challenge_challenge_unique" unique ("challenge");`,

    `create index "webauthn_challenge_expires_at_index" on "webauthn_challenge" ("expires_at");`,

    `create unique index "credential_webauthn_id_index" on "credential" ("organization_id", (params->>'webauthn_credential_id')) where type = 'public-key';`,

    `alter table "webauthn_challenge" add constraint "webauthn_challenge_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`,

    `alter table "webauthn_challenge" add constraint "webauthn_challenge_person_id_foreign" foreign key ("person_id") references "person" ("id") on delete cascade;`,

    `alter table "webauthn_challenge" add constraint "webauthn_challenge_purpose_check" check ("purpose" in ('register', 'authenticate'));`,
  ],
  down: [
    `drop table if exists "webauthn_challenge" cascade;`,

    `drop index "credential_webauthn_id_index";`,
  ],
});
