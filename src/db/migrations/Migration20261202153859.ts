import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202153859 = sqlMigration('Migration20261202153859', {
  up: [
    `create or replace function "api_key_api_key_notify_fn"() returns trigger as \$\$ begin perform pg_notify('idgraph_invalidate', 'api_key:' || coalesce(new.organization_id, old.organization_id)); return null; end; \$\$ language plpgsql;`,
    `create trigger "api_key_notify" AFTER INSERT OR UPDATE OR DELETE on "api_key" for each ROW execute function "api_key_api_key_notify_fn"();`,
  ],
  down: [
    `drop trigger if exists "api_key_notify" on "api_key";`,
    `drop function if exists "api_key_api_key_notify_fn"();`,
  ],
});
