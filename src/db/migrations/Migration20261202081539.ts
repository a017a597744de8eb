import { sqlMigration } from '../sql-migration.ts';

export const Migration20261202081539 = sqlMigration('Migration20261202081539', {
  up: [
    `alter table "organization" add "persons_pool_id" uuid null, add "groups_pool_id" uuid null, add "inherits_rbac_pools" boolean not null default false;`,

    `alter table "organization" add constraint "organization_persons_pool_id_foreign" foreign key ("persons_pool_id") references "organization" ("id") on delete no action;`,

    `alter table "organization" add constraint "organization_groups_pool_id_foreign" foreign key ("groups_pool_id") references "organization" ("id") on delete no action;`,
  ],
  down: [
    `alter table "organization" drop constraint "organization_persons_pool_id_foreign";`,

    `alter table "organization" drop constraint "organization_groups_pool_id_foreign";`,

    `alter table "organization" drop column "persons_pool_id", drop column "groups_pool_id", drop column "inherits_rbac_pools";`,
  ],
});
