import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202122411 = sqlMigration('Migration20261202122411', {
  up: [
    `alter table "person_count" add "changes" bigint not null default '0';`,

    // Every statement that adds, removes or moves persons counts one change (page-boundaries.ts).

    `create or replace function person_person_count_insert_fn() returns trigger as \$$ begin insert into person_count as c (organization_id, regular, total, changes) select organization_id, sum(regular), sum(total), 1 from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from added group by organization_id) d group by organization_id on conflict (organization_id) do update set regular = c.regular + excluded.regular, total = c.total + excluded.total, changes = c.changes + 1; return null; end; \$$ language plpgsql;`,

    `create or replace function person_person_count_delete_fn() returns trigger as \$$ begin update person_count c set regular = c.regular - d.regular, total = c.total - d.total, changes = c.changes + 1 from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from removed group by organization_id) d where c.organization_id = d.organization_id; return null; end; \$$ language plpgsql;`,

    `create or replace function person_person_count_update_fn() returns trigger as \$$ begin insert into person_count as c (organization_id, regular, total, changes) select organization_id, sum(regular), sum(total), 1 from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from (select moved_to.* from moved_to join moved_from using (id) where moved_to.person_type <> moved_from.person_type or moved_to.organization_id <> moved_from.organization_id) moved_to group by organization_id union all select organization_id, -count(*) filter (where person_type = 'regular') as regular, -count(*) as total from (select moved_from.* from moved_to join moved_from using (id) where moved_to.person_type <> moved_from.person_type or moved_to.organization_id <> moved_from.organization_id) moved_from group by organization_id) d group by organization_id on conflict (organization_id) do update set regular = c.regular + excluded.regular, total = c.total + excluded.total, changes = c.changes + 1; return null; end; \$$ language plpgsql;`,
  ],
  down: [
    `create or replace function person_person_count_insert_fn() returns trigger as \$\$ begin insert into person_count as c (organization_id, regular, total) select organization_id, sum(regular), sum(total) from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from added group by organization_id) d group by organization_id having sum(total) <> 0 or sum(regular) <> 0 on conflict (organization_id) do update set regular = c.regular + excluded.regular, total = c.total + excluded.total; return null; end; \$\$ language plpgsql;`,

    `create or replace function person_person_count_delete_fn() returns trigger as \$\$ begin update person_count c set regular = c.regular - d.regular, total = c.total - d.total from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from removed group by organization_id) d where c.organization_id = d.organization_id; return null; end; \$\$ language plpgsql;`,

    `create or replace function person_person_count_update_fn() returns trigger as \$\$ begin insert into person_count as c (organization_id, regular, total) select organization_id, sum(regular), sum(total) from (select organization_id, count(*) filter (where person_type = 'regular') as regular, count(*) as total from moved_to group by organization_id union all select organization_id, -count(*) filter (where person_type = 'regular') as regular, -count(*) as total from moved_from group by organization_id) d group by organization_id having sum(total) <> 0 or sum(regular) <> 0 on conflict (organization_id) do update set regular = c.regular + excluded.regular, total = c.total + excluded.total; return null; end; \$\$ language plpgsql;`,

    `alter table "person_count" drop column "changes";`,
  ],
});
