// The lists a page of persons shows, read together in one statement (src/domain/list-reads.queries.ts):
// each list exactly as its own loader reads it, with the same pools and order.
import type { EntityManager } from '@mikro-orm/postgresql';
import { readTogether, runRead, SHARED_KEYS, type ListRead } from '../list-reads.queries.ts';
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
 * For `personIds` (non-empty UUIDs), the wanted lists: groups of the group pool of
 * `organizationId`; roles, their permissions and additional permissions of its RBAC pool or of the
 * person's own (as the GraphQL loaders read them, `orPersonsOwn`). Several lists are one statement
 * (the ids sent once for all); a single list is its own plain-row read, which costs less than a
 * JSON array column.
 */
export async function personListsOf(
  em: EntityManager, personIds: readonly string[], organizationId: string, want: PersonListsWanted,
): Promise<PersonLists> {
  const several = Object.values(want).filter(Boolean).length > 1;
  const keys = several ? SHARED_KEYS : personIds;
  const reads: Record<string, ListRead<unknown>> = {
    ...(want.handles ? { handles: handlesOfPersonsRead(keys) } : {}),
    ...(want.groups ? { groups: groupsOfPersonsRead(keys, organizationId) } : {}),
    ...(want.roles ? { roles: rolesOfPersonsRead(keys, organizationId, true) } : {}),
    ...(want.rolePermissions ? { rolePermissions: permissionsOfRolesOfPersonsRead(keys, organizationId, true) } : {}),
    ...(want.additionalPermissions ? { additionalPermissions: additionalPermissionsOfPersonsRead(keys, organizationId, true) } : {}),
    ...(want.attributes ? { attributes: attributesOfPersonsRead(keys) } : {}),
  };
  if (several) return readTogether(em, reads, personIds) as Promise<PersonLists>;
  const [name, read] = Object.entries(reads)[0] ?? [];
  return name ? { [name]: await runRead(em, read) } : {};
}
