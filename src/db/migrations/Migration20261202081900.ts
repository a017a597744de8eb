import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202081900 = sqlMigration('Migration20261202081900', {
  up: [
    `create table "person_count" ("organization_id" uuid not null, "regular" bigint not null default '0', "total" bigint not null default '0', primary key ("organization_id"));`,

    `drop index "person_organization_id_created_at_index";`,

    `create index "person_organization_id_created_at_id_index" on "person" ("organization_id", "created_at", "id");`,

    `create or replace function person_person_count_insert_fn() returns trigger as \$\$ begin insert into person_count as c (organization_id, regular, total) select organization_id, sum(regular), sum(total) from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from added group by organization_id) d group by organization_id having sum(total) <> 0 or sum(regular) <> 0 on conflict (organization_id) do update set regular = c.regular + excluded.regular, total = c.total + excluded.total; return null; end; \$\$ language plpgsql;`,

    `create trigger person_count_insert after INSERT on person referencing new table as added for each statement execute function person_person_count_insert_fn();`,

    `create or replace function person_person_count_delete_fn() returns trigger as \$\$ begin update person_count c set regular = c.regular - d.regular, total = c.total - d.total from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from removed group by organization_id) d where c.organization_id = d.organization_id; return null; end; \$\$ language plpgsql;`,

    `create trigger person_count_delete after DELETE on person referencing old table as removed for each statement execute function person_person_count_delete_fn();`,

    `create or replace function person_person_count_update_fn() returns trigger as \$\$ begin insert into person_count as c (organization_id, regular, total) select organization_id, sum(regular), sum(total) from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from moved_to group by organization_id union all select organization_id, -count(*) filter (where person_type = 'regular') as regular, -count(*) as total from moved_from group by organization_id) d group by organization_id having sum(total) <> 0 or sum(regular) <> 0 on conflict (organization_id) do update set regular = c.regular + excluded.regular, total = c.total + excluded.total; return null; end; \$\$ language plpgsql;`,

    `create trigger person_count_update after UPDATE on person referencing old table as moved_from new table as moved_to for each statement execute function person_person_count_update_fn();`,

    `alter table "person_count" add constraint "person_count_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,

    // The persons that exist before the triggers counted any.

    `insert into person_count (organization_id, regular, total) select organization_id, count(*) filter (where person_type = 'regular'), count(*) from person group by organization_id;`,
  ],
  down: [
    `drop table if exists "person_count" cascade;`,

    `drop index "person_organization_id_created_at_id_index";`,

    `drop trigger if exists "person_count_insert" on "person";`,

    `drop function if exists "person_person_count_insert_fn"();`,

    `drop trigger if exists "person_count_delete" on "person";`,

    `drop function if exists "person_person_count_delete_fn"();`,

    `drop trigger if exists "person_count_update" on "person";`,

    `drop function if exists "person_person_count_update_fn"();`,

    `create index "person_organization_id_created_at_index" on "person" ("organization_id", "created_at");`,
  ],
});
