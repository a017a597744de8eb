import { defineEntity, p } from '@mikro-orm/core';
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

/** A permission held by a role. A permission in use by a role cannot be deleted (restrict). */
export const RolePermissionSchema = defineEntity({
  name: 'RolePermission',
  properties: {
    role: () => p.manyToOne(Role).ref().primary().deleteRule('cascade'),
    permission: () => p.manyToOne(Permission).ref().primary().deleteRule('restrict'),
  },
  indexes: [{ properties: ['permission'] }],
});
export class RolePermission extends RolePermissionSchema.class {}
RolePermissionSchema.setClass(RolePermission);

/** A role held by a person. */
export const PersonRoleSchema = defineEntity({
  name: 'PersonRole',
  properties: {
    person: () => p.manyToOne(Person).ref().primary().deleteRule('cascade'),
    role: () => p.manyToOne(Role).ref().primary().deleteRule('cascade'),
  },
  indexes: [{ properties: ['role'] }],
});
export class PersonRole extends PersonRoleSchema.class {}
PersonRoleSchema.setClass(PersonRole);

/** A permission given to a person directly, besides those of its roles. */
export const PersonPermissionSchema = defineEntity({
  name: 'PersonPermission',
  properties: {
    person: () => p.manyToOne(Person).ref().primary().deleteRule('cascade'),
    permission: () => p.manyToOne(Permission).ref().primary().deleteRule('cascade'),
  },
  indexes: [{ properties: ['permission'] }],
});
export class PersonPermission extends PersonPermissionSchema.class {}
PersonPermissionSchema.setClass(PersonPermission);

/**
 * What the graph reads of a role or permission: a managed entity, or a plain row of a batched read
 * (the loaders' rows are not tracked, so they skip hydration and the identity map).
 */
export type PermissionView = Pick<Permission, 'id' | 'name' | 'description' | 'createdAt'> & { organization: { id: string } };
export type RoleView = Pick<Role, 'id' | 'name' | 'description' | 'createdAt'> & { organization: { id: string } };
