import { sqlMigration } from '../sql-migration.ts';

export const Migration20261122234637 = sqlMigration('Migration20261122234637', {
  up: [
    `alter table "organization" add "config" jsonb null;`,

    `create or replace function "oauth_client_oauth_client_notify_fn"() returns trigger as \$\$ begin if tg_op = 'UPDATE' and (to_jsonb(old) - 'last_used_at' - 'updated_at') = (to_jsonb(new) - 'last_used_at' - 'updated_at') then return null; end if; perform pg_notify('idgraph_invalidate', 'oauth_client:' || old.client_id); if tg_op = 'UPDATE' and new.client_id <> old.client_id then perform pg_notify('idgraph_invalidate', 'oauth_client:' || new.client_id); end if; return null; end; \$\$ language plpgsql;`,

    `create trigger "oauth_client_notify" AFTER UPDATE OR DELETE on "oauth_client" for each ROW execute function "oauth_client_oauth_client_notify_fn"();`,

    `create or replace function "signing_key_signing_key_notify_fn"() returns trigger as \$\$ begin perform pg_notify('idgraph_invalidate', 'signing_key:' || coalesce(new.kid, old.kid)); return null; end; \$\$ language plpgsql;`,

    `create trigger "signing_key_notify" AFTER INSERT OR UPDATE OR DELETE on "signing_key" for each ROW execute function "signing_key_signing_key_notify_fn"();`,
  ],
  down: [
    `drop trigger if exists "oauth_client_notify" on "oauth_client";`,

    `drop function if exists "oauth_client_oauth_client_notify_fn"();`,

    `alter table "organization" drop column "config";`,

    `drop trigger if exists "signing_key_notify" on "signing_key";`,

    `drop function if exists "signing_key_signing_key_notify_fn"();`,
  ],
});
