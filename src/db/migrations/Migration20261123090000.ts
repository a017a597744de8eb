import { Migration } from '@mikro-orm/migrations';

/**
 * Cache invalidation through the database: a change to an OAuth client or a signing key sends a
 * notification on the channel `idgraph_invalidate` in the transaction that makes it (so only a
 * committed change is announced, and every writer, SQL included, announces). Payload:
 * `oauth_client:<client_id>` or `signing_key:<kid>`. Bookkeeping columns (last_used_at,
 * updated_at) do not count, so using a client does not empty every cache.
 */
export class Migration20261123090000 extends Migration {

  override name = 'Migration20261123090000';

  override up(): void | Promise<void> {
    this.addSql(`create or replace function idgraph_notify_oauth_client() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and (to_jsonb(old) - 'last_used_at' - 'updated_at') = (to_jsonb(new) - 'last_used_at' - 'updated_at') then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform pg_notify('idgraph_invalidate', 'oauth_client:' || old.client_id);
  end if;
  if tg_op = 'UPDATE' and new.client_id <> old.client_id then
    perform pg_notify('idgraph_invalidate', 'oauth_client:' || new.client_id);
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "oauth_client_notify" after update or delete on "oauth_client" for each row execute function idgraph_notify_oauth_client();`);
    this.addSql(`create or replace function idgraph_notify_signing_key() returns trigger language plpgsql as $$
begin
  perform pg_notify('idgraph_invalidate', 'signing_key:' || coalesce(new.kid, old.kid));
  return null;
end $$;`);
    this.addSql(`create trigger "signing_key_notify" after insert or update or delete on "signing_key" for each row execute function idgraph_notify_signing_key();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "oauth_client_notify" on "oauth_client";`);
    this.addSql(`drop function if exists idgraph_notify_oauth_client();`);
    this.addSql(`drop trigger if exists "signing_key_notify" on "signing_key";`);
    this.addSql(`drop function if exists idgraph_notify_signing_key();`);
  }

}
