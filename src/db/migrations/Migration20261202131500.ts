import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202131500 = sqlMigration('Migration20261202131500', {
  up: [
    `alter table "organization" add "rbac_pool_id" uuid null;`,

    `alter table "organization" add constraint "organization_rbac_pool_id_foreign" foreign key ("rbac_pool_id") references "organization" ("id") on delete no action;`,

    // Organizations created inheriting before this column: the nearest ancestor that does not inherit.

    `with recursive up (id, ancestor) as (
        select o.id, o.parent_id from organization o where o.inherits_rbac_pools and o.parent_id is not null
        union all
        select up.id, p.parent_id from up join organization p on p.id = up.ancestor where p.inherits_rbac_pools and p.parent_id is not null
      )
      update organization o set rbac_pool_id = owner.ancestor
      from (select up.id, up.ancestor from up join organization a on a.id = up.ancestor where not a.inherits_rbac_pools) owner
      where o.id = owner.id;`,
  ],
  down: [
    `alter table "organization" drop constraint "organization_rbac_pool_id_foreign";`,

    `alter table "organization" drop column "rbac_pool_id";`,
  ],
});
