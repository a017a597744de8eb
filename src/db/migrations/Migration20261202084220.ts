import { Migration } from '@mikro-orm/migrations';

export class Migration20261202084220 extends Migration {

  override name = 'Migration20261202084220';

  override up(): void | Promise<void> {
    this.addSql(`create index "person_regular_page_index" on "person" ("organization_id", "created_at", "id") where "person_type" = 'regular';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "person_regular_page_index";`);
  }

}
