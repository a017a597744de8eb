// Seeds an organization with persons that each have a handle, a group, a role holding a
// permission, an additional permission and an attribute — in a few set-based statements.
import { timeOrderedUuid } from '../../src/domain/ids.ts';

type Sql = (text: string, params?: unknown[]) => Promise<any[]>;

export async function seedPersons(sql: Sql, organizationId: string, count: number) {
  const ids = Array.from({ length: count }, (_, i) => timeOrderedUuid(Date.now() + i));
  const groupId = timeOrderedUuid();
  const roleId = timeOrderedUuid();
  const readId = timeOrderedUuid();
  const writeId = timeOrderedUuid();
  await sql(`insert into access_group (id, organization_id, name, created_at) values ($1, $2, 'everyone', now())`, [groupId, organizationId]);
  await sql(`insert into role (id, organization_id, name, created_at) values ($1, $2, 'reader', now())`, [roleId, organizationId]);
  await sql(`insert into permission (id, organization_id, name, created_at) values ($1, $3, 'docs.read', now()), ($2, $3, 'docs.write', now())`,
    [readId, writeId, organizationId]);
  await sql(`insert into role_permission (role_id, permission_id) values ($1, $2)`, [roleId, readId]);
  await sql(`
    with ids as (select id, ord from unnest($1::uuid[]) with ordinality as t(id, ord))
    insert into person (id, organization_id, active, region, person_type, is_verified, created_at, updated_at)
    select id, $2, true, 'us-iowa', 'regular', false, now() + ord * interval '1 millisecond', now() from ids`, [ids, organizationId]);
  await sql(`
    with ids as (select id, ord from unnest($1::uuid[]) with ordinality as t(id, ord))
    insert into handle (id, organization_id, person_id, type, value, normalized, created_at)
    select gen_random_uuid(), $2, id, 'username', 'user' || ord || '-' || $3, 'user' || ord || '-' || $3, now() from ids`,
    [ids, organizationId, organizationId.slice(0, 8)]);
  await sql(`insert into group_member (group_id, person_id, created_at) select $1, unnest($2::uuid[]), now()`, [groupId, ids]);
  await sql(`insert into person_role (person_id, role_id) select unnest($1::uuid[]), $2`, [ids, roleId]);
  await sql(`insert into person_permission (person_id, permission_id) select unnest($1::uuid[]), $2`, [ids, writeId]);
  await sql(`
    with ids as (select id, ord from unnest($1::uuid[]) with ordinality as t(id, ord))
    insert into person_attribute (person_id, bucket, name, organization_id, value, updated_at)
    select id, 'end_user_read_write', 'index', $2, to_jsonb(ord - 1), now() from ids`, [ids, organizationId]);
  return ids;
}
