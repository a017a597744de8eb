// Rules for groups and their members, inside one organization the caller manages. The groups are
// those of the organization's group pool (group-pool.ts), the persons those of its person pool.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { Group, GroupMember } from './group.entity.ts';
import {
  deleteGroupById, deleteMembership, deleteMembershipsExcept, findGroup, findGroupsByName, groupIdsOfPerson, listGroups,
  memberIdsAmong,
} from './access.queries.ts';
import { assertGroupName } from './names.ts';
import { groupsPoolOwnerOf } from './group-pool.ts';
import { assertWithinTier } from '../organization/quota.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import { getPerson } from '../person/person-lookup.ts';
import { findPersonsInOrganization } from '../person/person.queries.ts';
import { emitEvent } from '../webhook/events.ts';

const MAX_DESCRIPTION = 1024;

export async function getGroup(em: EntityManager, org: Organization, name: string) {
  const group = await findGroup(em, groupsPoolOwnerOf(org), name);
  if (!group) throw new NotFound(`No group named "${name.slice(0, 100)}" in this organization`);
  return group;
}

export const getGroups = (em: EntityManager, org: Organization) => listGroups(em, groupsPoolOwnerOf(org));

/** Idempotent: an existing group of that name is returned unchanged. */
export async function createGroup(em: EntityManager, org: Organization, name: string, description?: string | null) {
  assertGroupName(name);
  if (description != null && description.length > MAX_DESCRIPTION) {
    throw new ValidationFailed(`description must be at most ${MAX_DESCRIPTION} characters`);
  }
  const owner = groupsPoolOwnerOf(org);
  const existing = await findGroup(em, owner, name);
  if (existing) return existing;
  await assertWithinTier(em, owner, 'groups');
  const group = em.create(Group, { id: timeOrderedUuid(), organization: owner, name, description: description ?? null });
  try {
    await em.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    em.clear();
    return (await findGroup(em, owner, name))!;
  }
  return group;
}

export async function deleteGroup(em: EntityManager, org: Organization, name: string) {
  const group = await getGroup(em, org, name);
  await deleteGroupById(em, group.id);
  return name;
}

/** The named groups, all of which must exist. */
export async function resolveGroups(em: EntityManager, org: Organization, names: readonly string[]) {
  const unique = [...new Set(names)];
  unique.forEach(assertGroupName);
  const found = unique.length ? await findGroupsByName(em, groupsPoolOwnerOf(org), unique) : [];
  const missing = unique.filter((n) => !found.some((g) => g.name === n));
  if (missing.length) throw new ValidationFailed(`Group "${missing[0].slice(0, 100)}" does not exist; create it first`);
  return found;
}

async function resolvePersons(em: EntityManager, org: Organization, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const found = await findPersonsInOrganization(em, org.id, unique);
  const missing = unique.filter((id) => !found.some((p) => p.id === id));
  if (missing.length) throw new NotFound(`No person with id "${missing[0].slice(0, 64)}" in this organization`);
  return found;
}

export async function addGroupMembers(em: EntityManager, org: Organization, name: string, personIds: readonly string[]) {
  if (personIds.length === 0) throw new ValidationFailed('Send at least one person id');
  const group = await getGroup(em, org, name);
  const persons = await resolvePersons(em, org, personIds);
  const regions = [...new Set(persons.map((p) => p.region))];
  if (regions.length > 1) {
    throw new ValidationFailed(`The persons added to a group in one request must all be in the same region; these are in ${regions.join(', ')}`);
  }
  const present = new Set(await memberIdsAmong(em, group.id, persons.map((p) => p.id)));
  for (const person of persons) {
    if (!present.has(person.id)) em.create(GroupMember, { group, person });
  }
  await em.flush();
  const added = persons.filter((p) => !present.has(p.id)).map((p) => p.id);
  if (added.length) await emitEvent(em, org.id, 'GroupMembershipChanged_v1', { group_name: group.name, added_person_ids: added, removed_person_ids: [] });
  return group;
}

export async function removeGroupMember(em: EntityManager, org: Organization, name: string, personId: string) {
  const group = await getGroup(em, org, name);
  const person = await getPerson(em, org, personId);
  const deleted = await deleteMembership(em, group.id, person.id);
  if (deleted === 0) throw new NotFound(`The person is not a member of group "${name.slice(0, 100)}"`);
  await emitEvent(em, org.id, 'GroupMembershipChanged_v1', { group_name: group.name, added_person_ids: [], removed_person_ids: [person.id] });
  return group;
}

/** Replaces the person's groups; an empty list removes every membership. */
export async function setPersonGroups(em: EntityManager, org: Organization, person: Person, names: readonly string[]) {
  const groups = await resolveGroups(em, org, names);
  // Only the memberships of this organization's group pool: a pooled person keeps those of others.
  const owner = groupsPoolOwnerOf(org);
  await deleteMembershipsExcept(em, person.id, owner, groups.map((g) => g.id));
  const present = new Set(await groupIdsOfPerson(em, person.id, owner));
  for (const group of groups) {
    if (!present.has(group.id)) em.create(GroupMember, { group, person });
  }
  await em.flush();
  await emitEvent(em, org.id, 'GroupMembershipChanged_v1', { person_id: person.id, group_names: groups.map((g) => g.name) });
  return person;
}
