// The lists a page of persons shows, read together in one statement (src/domain/list-reads.queries.ts):
// each list exactly as its own loader reads it, with the same pools and order.
import type { EntityManager } from '@mikro-orm/postgresql';
import { readTogether, SHARED_KEYS, type ListRead } from '../list-reads.queries.ts';
import { handlesOfPersonsRead } from './person.queries.ts';
import {
  additionalPermissionsOfPersonsRead, groupsOfPersonsRead, permissionsOfRolesOfPersonsRead, rolesOfPersonsRead,
} from '../access/access.queries.ts';
import { attributesOfPersonsRead } from '../attribute/attribute.queries.ts';

export interface PersonListsWanted {
  handles?: boolean; groups?: boolean; roles?: boolean; rolePermissions?: boolean; additionalPermissions?: boolean; attributes?: boolean;
}

type Rows<F extends (...args: never[]) => ListRead<unknown>> = ReturnType<F> extends ListRead<infer T> ? T[] : never;

export interface PersonLists {
  handles?: Rows<typeof handlesOfPersonsRead>;
  groups?: Rows<typeof groupsOfPersonsRead>;
  roles?: Rows<typeof rolesOfPersonsRead>;
  rolePermissions?: Rows<typeof permissionsOfRolesOfPersonsRead>;
  additionalPermissions?: Rows<typeof additionalPermissionsOfPersonsRead>;
  attributes?: Rows<typeof attributesOfPersonsRead>;
}

/**
 * For `personIds` (non-empty UUIDs, sent once for all the lists), the wanted lists: groups of the
 * group pool of `organizationId`;
 * roles, their permissions and additional permissions of its RBAC pool or of the person's own
 * (as the GraphQL loaders read them, `orPersonsOwn`).
 */
export function personListsOf(
  em: EntityManager, personIds: readonly string[], organizationId: string, want: PersonListsWanted,
): Promise<PersonLists> {
  return readTogether(em, {
    ...(want.handles ? { handles: handlesOfPersonsRead(SHARED_KEYS) } : {}),
    ...(want.groups ? { groups: groupsOfPersonsRead(SHARED_KEYS, organizationId) } : {}),
    ...(want.roles ? { roles: rolesOfPersonsRead(SHARED_KEYS, organizationId, true) } : {}),
    ...(want.rolePermissions ? { rolePermissions: permissionsOfRolesOfPersonsRead(SHARED_KEYS, organizationId, true) } : {}),
    ...(want.additionalPermissions ? { additionalPermissions: additionalPermissionsOfPersonsRead(SHARED_KEYS, organizationId, true) } : {}),
    ...(want.attributes ? { attributes: attributesOfPersonsRead(SHARED_KEYS) } : {}),
  }, personIds) as Promise<PersonLists>;
}
