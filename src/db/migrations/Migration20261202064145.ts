import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202064145 = sqlMigration('Migration20261202064145', {
  up: [
    `alter table "login_throttle" alter column "kind" type text using ("kind"::text);`,

    `alter table "login_throttle" add constraint "login_throttle_kind_check" check ("kind" in ('ip', 'user'));`,

    `alter table "person" alter column "region" type text using ("region"::text);`,

    `alter table "person" alter column "person_type" type text using ("person_type"::text);`,

    `alter table "person" add constraint "person_region_check" check ("region" in ('us-iowa', 'europe-belgium', 'asia-japan', 'europe-england', 'australia-sydney'));`,

    `alter table "person" add constraint "person_person_type_check" check ("person_type" in ('regular', 'anonymous'));`,

    `alter table "handle" alter column "type" type text using ("type"::text);`,

    `alter table "handle" add constraint "handle_type_check" check ("type" in ('email_address', 'phone_number', 'username'));`,

    `alter table "gdpr_consent" alter column "level" type text using ("level"::text);`,

    `alter table "gdpr_consent" add constraint "gdpr_consent_level_check" check ("level" in ('none', 'necessary', 'analytics', 'marketing', 'retargeting', 'tracking'));`,
  ],
  down: [
    `alter table "gdpr_consent" drop constraint "gdpr_consent_level_check";`,

    `alter table "gdpr_consent" alter column "level" type varchar(16) using ("level"::varchar(16));`,

    `alter table "handle" drop constraint "handle_type_check";`,

    `alter table "handle" alter column "type" type varchar(16) using ("type"::varchar(16));`,

    `alter table "login_throttle" drop constraint "login_throttle_kind_check";`,

    `alter table "login_throttle" alter column "kind" type varchar(8) using ("kind"::varchar(8));`,

    `alter table "person" drop constraint "person_region_check";`,

    `alter table "person" drop constraint "person_person_type_check";`,

    `alter table "person" alter column "region" type varchar(32) using ("region"::varchar(32));`,

    `alter table "person" alter column "person_type" type varchar(16) using ("person_type"::varchar(16));`,
  ],
});
