import { defineEntity, p, type EntityClass } from '@mikro-orm/core';
import { Person } from '../person/person.entity.ts';
import { namedInOrganization } from '../entity-properties.ts';

/** A named permission of one organization (e.g. `billing:read`). */
export const PermissionSchema = defineEntity({
  name: 'Permission',
  ...namedInOrganization(1024),
});
export class Permission extends PermissionSchema.class {}
PermissionSchema.setClass(Permission);

/** A named set of permissions; persons hold roles. */
export const RoleSchema = defineEntity({
  name: 'Role',
  ...namedInOrganization(140),
});
export class Role extends RoleSchema.class {}
RoleSchema.setClass(Role);

type DeleteRule = 'cascade' | 'restrict';
/** Half of a link's primary key: a row of `target`, the link gone with it unless the rule restricts. */
const keyHalf = <T extends object>(target: EntityClass<T>, deleteRule: DeleteRule) =>
  () => p.manyToOne(target).ref().primary().deleteRule(deleteRule);
type KeyHalf<T extends object> = ReturnType<typeof keyHalf<T>>;

/**
 * A link of two rows (`first` holds `second`): the pair is the primary key, which leads with
 * `first`, so `second` has an index of its own (to find or guard what holds it).
 */
function linkEntity<const N extends string, const A extends string, const B extends string, TA extends object, TB extends object>(
  name: N, first: [A, EntityClass<TA>], second: [B, EntityClass<TB>], secondDeleteRule: DeleteRule = 'cascade',
) {
  const properties = { [first[0]]: keyHalf(first[1], 'cascade'), [second[0]]: keyHalf(second[1], secondDeleteRule) };
  return defineEntity({
    name,
    properties: properties as { [K in A]: KeyHalf<TA> } & { [K in B]: KeyHalf<TB> },
    indexes: [{ properties: [second[0]] as never }],
  });
}

/** A permission held by a role. A permission in use by a role cannot be deleted (restrict). */
export const RolePermissionSchema = linkEntity('RolePermission', ['role', Role], ['permission', Permission], 'restrict');
export class RolePermission extends RolePermissionSchema.class {}
RolePermissionSchema.setClass(RolePermission);

/** A role held by a person. */
export const PersonRoleSchema = linkEntity('PersonRole', ['person', Person], ['role', Role]);
export class PersonRole extends PersonRoleSchema.class {}
PersonRoleSchema.setClass(PersonRole);

/** A permission given to a person directly, besides those of its roles. */
export const PersonPermissionSchema = linkEntity('PersonPermission', ['person', Person], ['permission', Permission]);
export class PersonPermission extends PersonPermissionSchema.class {}
PersonPermissionSchema.setClass(PersonPermission);

/**
 * What the graph reads of a role or permission: a managed entity, or a plain row of a batched read
 * (the loaders' rows are not tracked, so they skip hydration and the identity map).
 */
export type PermissionView = Pick<Permission, 'id' | 'name' | 'description' | 'createdAt'> & { organization: { id: string } };
export type RoleView = Pick<Role, 'id' | 'name' | 'description' | 'createdAt'> & { organization: { id: string } };
