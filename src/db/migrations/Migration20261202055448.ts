import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202055448 = sqlMigration('Migration20261202055448', {
  up: [
    `alter table "login_throttle" add "in_flight" int not null default 0, add "in_flight_since" timestamptz null;`,
  ],
  down: [
    `alter table "login_throttle" drop column "in_flight", drop column "in_flight_since";`,
  ],
});
