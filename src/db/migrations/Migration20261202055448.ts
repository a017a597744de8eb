import { Migration } from '@mikro-orm/migrations';

export class Migration20261202055448 extends Migration {

  override name = 'Migration20261202055448';

  override up(): void | Promise<void> {
    this.addSql(`alter table "login_throttle" add "in_flight" int not null default 0, add "in_flight_since" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "login_throttle" drop column "in_flight", drop column "in_flight_since";`);
  }

}
