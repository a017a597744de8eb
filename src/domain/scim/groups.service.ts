// SCIM Groups: the organization's groups (the ones the SlashID face manages), displayName being
// the group's name, or its own displayName when the name rule does not admit it ("Sales Team"). Membership changes are set-based statements on the ids the request names, so a
// PATCH adding or removing members never reads the group's other members. The groups are those of
// the organization's group pool (stored with its owner), the members persons of its person pool.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { NotFound } from '../errors.ts';
import { isUuidShaped } from '../ids.ts';
import { createGroup, deleteGroup } from '../access/group.service.ts';
import { groupsPoolOwnerOf } from '../access/group-pool.ts';
import { assertGroupName } from '../access/names.ts';
import { fail, parseScimFilter, type Filter } from '../person/scim-filter.ts';
import {
  deleteAllMembers, deleteMembers, findGroupIdByDisplayName, findGroupMembers, findGroupPage, findGroupRow, groupNamesFrom,
  insertMembers, personIdsIn, renameGroup, setGroupExternalId, touchGroup, type GroupRow,
} from './scim.queries.ts';
import { filterToSqlWith, ownEntry, type Column, type MultiValued } from './user-filter.ts';
import { assertIfMatch, scimConflict, scimInvalid } from './scim-errors.ts';
import { URN } from './scim-schemas.ts';
import { operationsOf, pageOf, type ListRequest, type ListResponse } from './users.service.ts';

/** The most members a group's answer lists; ask with excludedAttributes=members for none. */
export const MAX_MEMBERS_SHOWN = 10_000;
const MAX_MEMBERS_PER_REQUEST = 10_000;

export const groupVersion = (row: Pick<GroupRow, 'createdAt' | 'updatedAt'>) =>
  `W/"${new Date(row.updatedAt ?? row.createdAt).getTime().toString(36)}"`;

/** `org`: the tenant answering; a group shared with other person pools shows only members of its own. */
async function groupResource(em: EntityManager, org: Organization, row: GroupRow, base: string, withMembers: boolean) {
  const members = withMembers ? await findGroupMembers(em, row.id, MAX_MEMBERS_SHOWN, org.id) : undefined;
  return {
    schemas: [URN.group],
    id: row.id,
    ...(row.externalId ? { externalId: row.externalId } : {}),
    displayName: row.displayName,
    ...(members ? { members: members.map((m) => ({ value: m.id, display: m.display ?? undefined, $ref: `${base}/Users/${m.id}` })) } : {}),
    meta: {
      resourceType: 'Group', created: new Date(row.createdAt).toISOString(),
      lastModified: new Date(row.updatedAt ?? row.createdAt).toISOString(),
      location: `${base}/Groups/${row.id}`, version: groupVersion(row),
    },
  };
}

const GROUP_VOCABULARY: { SCALARS: Record<string, Column>; MULTI: Record<string, MultiValued> } = {
  SCALARS: {
    id: { expr: 'g.id::text', kind: 'text', caseExact: true },
    displayname: { expr: 'coalesce(g.display_name, g.name)', kind: 'text' },
    externalid: { expr: 'g.external_id', kind: 'text', caseExact: true },
    'meta.created': { expr: 'g.created_at', kind: 'time' },
    'meta.lastmodified': { expr: 'coalesce(g.updated_at, g.created_at)', kind: 'time' },
  },
  MULTI: {
    members: {
      rows: (org) => `g.id in (select gm.group_id from group_member gm where gm.group_id = g.id and g.organization_id = ${org} and `,
      subs: { value: { expr: 'gm.person_id::text', kind: 'text', caseExact: true } },
    },
  },
};
const GROUP_ATTRIBUTES = ['id', 'displayname', 'externalid', 'meta.created', 'meta.lastmodified', 'members', 'members.value'];
const groupAlias = (path: string) => path.replace(`${URN.group.toLowerCase()}:`, '');
const parseGroupFilter = (filter: string) =>
  parseScimFilter(filter, GROUP_ATTRIBUTES, { valuePaths: ['members'], alias: groupAlias });

/** Attributes a group list may be sorted by, and their SQL. */
export function groupSortExpression(sortBy: string): string {
  const column = ownEntry(GROUP_VOCABULARY.SCALARS, groupAlias(sortBy.toLowerCase()));
  if (!column) fail(`sortBy: cannot sort groups by "${sortBy.slice(0, 64)}"; use displayName, id, externalId, meta.created or meta.lastModified`);
  return column.kind === 'text' && !column.caseExact ? `lower(${column.expr})` : column.expr;
}

export async function listGroups(
  em: EntityManager, org: Organization, base: string, req: ListRequest, withMembers: boolean,
): Promise<ListResponse> {
  const where = req.filter?.trim() ? filterToSqlWith(GROUP_VOCABULARY, parseGroupFilter(req.filter), groupsPoolOwnerOf(org)) : undefined;
  const direction = req.sortOrder?.toLowerCase() === 'descending' ? 'desc' : 'asc';
  const order = req.sortBy ? `${groupSortExpression(req.sortBy)} ${direction} nulls last` : undefined;
  const { offset, limit, startIndex } = pageOf(req);
  const page = await findGroupPage(em, groupsPoolOwnerOf(org), where, offset, limit, order);
  const resources = [];
  for (const row of page.rows) resources.push(await groupResource(em, org, row, base, withMembers));
  return { totalResults: page.total, startIndex, itemsPerPage: resources.length, resources };
}

async function rowOf(em: EntityManager, org: Organization, id: string): Promise<GroupRow> {
  const row = isUuidShaped(id) ? await findGroupRow(em, groupsPoolOwnerOf(org), id) : undefined;
  if (!row) throw new NotFound(`No group with id "${id.slice(0, 64)}" in this tenant`);
  return row;
}

export async function getGroup(em: EntityManager, org: Organization, base: string, id: string, withMembers: boolean) {
  return groupResource(em, org, await rowOf(em, org, id), base, withMembers);
}

/** Member ids from `[{value}]`; each must be a person of the organization. */
async function memberIdsOf(em: EntityManager, org: Organization, value: unknown): Promise<string[]> {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_MEMBERS_PER_REQUEST) throw scimInvalid('tooMany', `At most ${MAX_MEMBERS_PER_REQUEST} members per request`);
  const ids = [...new Set(list.map((m, i) => {
    const id = typeof m === 'object' && m !== null ? (m as { value?: unknown }).value : undefined;
    if (typeof id !== 'string') throw scimInvalid('invalidValue', `members[${i}] must be {"value": "<user id>"}`, ['body', 'members', i]);
    return id;
  }))];
  const bad = ids.find((id) => !isUuidShaped(id));
  if (bad !== undefined) throw scimInvalid('invalidValue', `members: no user with id "${bad.slice(0, 64)}" in this tenant`);
  const found = new Set(await personIdsIn(em, org.id, ids));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw scimInvalid('invalidValue', `members: no user with id "${missing}" in this tenant`);
  return ids;
}

const MAX_DISPLAY_NAME = 256;
const MAX_EXTERNAL_ID = 255;

function displayNameOf(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw scimInvalid('invalidValue', 'displayName is required and must be a non-empty string', ['body', 'displayName']);
  if (value.length > MAX_DISPLAY_NAME) throw scimInvalid('invalidValue', `displayName must be at most ${MAX_DISPLAY_NAME} characters`, ['body', 'displayName']);
  return value;
}

function externalIdOf(value: unknown): string | null {
  if (value == null || value === '') return null;
  if (typeof value !== 'string' || value.length > MAX_EXTERNAL_ID) {
    throw scimInvalid('invalidValue', `externalId must be a string of at most ${MAX_EXTERNAL_ID} characters`, ['body', 'externalId']);
  }
  return value;
}

const isGroupName = (name: string) => {
  try {
    assertGroupName(name);
    return true;
  } catch {
    return false;
  }
};

/** A valid group name from a displayName: runs of other characters become "_", alphanumeric at both ends. */
function nameStemOf(displayName: string): string {
  const stem = displayName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w.-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '').slice(0, 90).replace(/[^A-Za-z0-9]+$/, '');
  return stem.length >= 2 ? stem : `group${stem}`;
}

/**
 * The name and own displayName a group with SCIM displayName `displayName` gets. A displayName the
 * group name rule admits is the name (the SlashID face sees the same group); another ("Sales Team")
 * keeps its displayName and gets a free name derived from it ("Sales_Team", "Sales_Team-2").
 */
async function namingOf(em: EntityManager, org: Organization, displayName: string, currentName?: string) {
  if (displayName === currentName) return { name: displayName, displayName: null };
  const stem = isGroupName(displayName) ? displayName : nameStemOf(displayName);
  const taken = await groupNamesFrom(em, groupsPoolOwnerOf(org), stem);
  if (currentName) taken.delete(currentName);
  let name = stem;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}`;
  return { name, displayName: name === displayName ? null : displayName };
}

async function assertNameFree(em: EntityManager, org: Organization, displayName: string, id?: string) {
  const holder = await findGroupIdByDisplayName(em, groupsPoolOwnerOf(org), displayName);
  if (holder && holder !== id) throw scimConflict(`A group with displayName "${displayName.slice(0, 100)}" already exists`, ['body', 'displayName']);
}

const fieldOf = (doc: unknown, name: string) => typeof doc === 'object' && doc !== null
  ? Object.entries(doc).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] : undefined;

export async function createScimGroup(em: EntityManager, org: Organization, base: string, doc: unknown) {
  const displayName = displayNameOf(fieldOf(doc, 'displayName'));
  const externalId = externalIdOf(fieldOf(doc, 'externalId'));
  await assertNameFree(em, org, displayName);
  const members = fieldOf(doc, 'members') == null ? [] : await memberIdsOf(em, org, fieldOf(doc, 'members'));
  const naming = await namingOf(em, org, displayName);
  const group = await createGroup(em, org, naming.name);
  group.displayName = naming.displayName;
  group.externalId = externalId;
  await em.flush();
  await insertMembers(em, group.id, members);
  return groupResource(em, org, (await findGroupRow(em, groupsPoolOwnerOf(org), group.id))!, base, true);
}

export async function replaceScimGroup(
  em: EntityManager, org: Organization, base: string, id: string, doc: unknown, ifMatch?: string | null,
) {
  const row = await rowOf(em, org, id);
  assertIfMatch(ifMatch, groupVersion(row));
  const displayName = displayNameOf(fieldOf(doc, 'displayName'));
  const externalId = externalIdOf(fieldOf(doc, 'externalId'));
  await assertNameFree(em, org, displayName, row.id);
  const members = fieldOf(doc, 'members') == null ? [] : await memberIdsOf(em, org, fieldOf(doc, 'members'));
  await rename(em, org, row, displayName);
  await setGroupExternalId(em, row.id, externalId);
  await deleteAllMembers(em, row.id, org.id);
  await insertMembers(em, row.id, members);
  return groupResource(em, org, (await findGroupRow(em, groupsPoolOwnerOf(org), row.id))!, base, true);
}

/** The ids a `members[value eq "…" or value eq "…"]` path names. */
function idsOfMemberPath(path: string): string[] {
  const tree = parseScimFilter(path, ['members.value'], { valuePaths: ['members'], alias: groupAlias });
  const ids: string[] = [];
  const walk = (node: Filter): void => {
    if (node.kind === 'valuePath') return walk(node.filter);
    if (node.kind === 'or') { walk(node.left); walk(node.right); return; }
    if (node.kind === 'compare' && node.op === 'eq' && typeof node.value === 'string') { ids.push(node.value); return; }
    throw scimInvalid('invalidPath', 'A members path filter takes value eq "<id>", joined by or');
  };
  walk(tree);
  return ids;
}

export async function patchScimGroup(
  em: EntityManager, org: Organization, base: string, id: string, body: unknown, ifMatch?: string | null, withMembers = false,
) {
  const operations = operationsOf(body);
  const row = await rowOf(em, org, id);
  assertIfMatch(ifMatch, groupVersion(row));
  for (const { op, path, value } of operations) {
    const target = path ? groupAlias(path.toLowerCase()) : undefined;
    if (target === undefined) {
      // No path: the value is a partial group (Okta sends {"id", "displayName"}).
      const name = fieldOf(value, 'displayName');
      if (name !== undefined) await rename(em, org, row, name);
      const externalId = fieldOf(value, 'externalId');
      if (externalId !== undefined) await setGroupExternalId(em, row.id, externalIdOf(externalId));
      const members = fieldOf(value, 'members');
      if (members !== undefined) {
        if (op === 'replace') await deleteAllMembers(em, row.id, org.id);
        await insertMembers(em, row.id, await memberIdsOf(em, org, members));
      }
    } else if (target === 'displayname') {
      if (op === 'remove') throw scimInvalid('mutability', 'displayName is required; it cannot be removed');
      await rename(em, org, row, value);
    } else if (target === 'members') {
      if (op === 'replace' || (op === 'remove' && value === undefined)) await deleteAllMembers(em, row.id, org.id);
      const ids = value === undefined ? [] : await memberIdsOf(em, org, value);
      if (op === 'remove') await deleteMembers(em, row.id, ids, org.id);
      else await insertMembers(em, row.id, ids);
    } else if (target.startsWith('members[')) {
      if (op !== 'remove') throw scimInvalid('invalidPath', `${op} on a filtered members path is not supported; add {"value": id} to members`);
      await deleteMembers(em, row.id, idsOfMemberPath(path!), org.id);
    } else if (target === 'externalid') {
      await setGroupExternalId(em, row.id, op === 'remove' ? null : externalIdOf(value));
    } else {
      throw scimInvalid('invalidPath', `Unknown group attribute "${path!.slice(0, 64)}"; groups have displayName and members`);
    }
  }
  await touchGroup(em, row.id);
  return groupResource(em, org, (await findGroupRow(em, groupsPoolOwnerOf(org), row.id))!, base, withMembers);
}

async function rename(em: EntityManager, org: Organization, row: GroupRow, value: unknown) {
  const displayName = displayNameOf(value);
  await assertNameFree(em, org, displayName, row.id);
  const current = await findGroupRow(em, groupsPoolOwnerOf(org), row.id);
  const naming = await namingOf(em, org, displayName, current!.name);
  await renameGroup(em, row.id, naming.name, naming.displayName);
}

export async function deleteScimGroup(em: EntityManager, org: Organization, id: string, ifMatch?: string | null) {
  const row = await rowOf(em, org, id);
  assertIfMatch(ifMatch, groupVersion(row));
  await deleteGroup(em, org, row.name);
  return row.id;
}
