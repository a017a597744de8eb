// SCIM Users (RFC 7644 §3): persons of one organization, written through the person rules
// (handle formats and uniqueness), with SCIM's own: userName unique case-insensitively (409
// uniqueness), versions (If-Match → 412), PATCH per RFC 7644 §3.5.2 (scim-patch applies the
// operations to the resource; the result is written as a PUT would be), and deactivation or
// deletion ending the person's sessions and tokens. The users are the persons of the organization's
// person pool: created and given handles in the pool's owner, like the SlashID person routes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { scimPatch, ScimError } from 'scim-patch';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import type { HandleInput } from '../schema-types.generated.ts';
import { Conflict } from '../errors.ts';
import { getPerson, personsPoolOwnerOf } from '../person/person-lookup.ts';
import { groupsPoolOwnerOf } from '../access/group-pool.ts';
import {
  assertHandlesFree, attachHandles, createPerson, dedupe, deletePerson, flushChanges,
} from '../person/person.service.ts';
import { normalizeHandle, assertValidHandles } from '../person/handles.ts';
import type { RegionName } from '../person/regions.ts';
import { findHandlesOfPersons, findPersonsInOrganization } from '../person/person.queries.ts';
import { groupsOfPersons } from '../access/access.queries.ts';
import { findOrganization } from '../organization/organization.queries.ts';
import { endSessionsWhere } from '../session/session.service.ts';
import { findUserIdPage, revokePersonTokens } from './scim.queries.ts';
import { parseUserFilter, userFilterToSql, userSortExpression } from './user-filter.ts';
import { userResource, userVersion, userWriteOf, type UserState, type UserWrite } from './user-resource.ts';
import { assertIfMatch, scimConflict, scimInvalid, SCIM_TYPES, type ScimType } from './scim-errors.ts';
import { MAX_OPERATIONS, MAX_PAGE, URN } from './scim-schemas.ts';

export interface ListRequest {
  filter?: string | null;
  startIndex?: number | null;
  count?: number | null;
  sortBy?: string | null;
  sortOrder?: string | null;
}

export interface ListResponse { totalResults: number; startIndex: number; itemsPerPage: number; resources: Record<string, unknown>[] }

async function statesOf(em: EntityManager, org: Organization, persons: Person[]): Promise<UserState[]> {
  const ids = persons.map((p) => p.id);
  const [handles, groups] = await Promise.all([findHandlesOfPersons(em, ids), groupsOfPersons(em, ids, org.id)]);
  return persons.map((p) => ({
    id: p.id, active: p.active, externalId: p.externalId ?? null, locale: p.locale ?? null,
    createdAt: p.createdAt, updatedAt: p.updatedAt, scimProfile: p.scimProfile ?? null,
    handles: handles.filter((h) => h.personId === p.id),
    groups: groups.filter((g) => g.personId === p.id).map((g) => ({ id: g.group.id, name: g.group.displayName ?? g.group.name })),
  }));
}

const resourceOf = async (em: EntityManager, org: Organization, person: Person, base: string) =>
  userResource((await statesOf(em, org, [person]))[0], base);

/** The organization persons of `org` are stored in: the owner of its person pool, else itself. */
async function personsOrganizationOf(em: EntityManager, org: Organization): Promise<Organization> {
  return org.personsPool ? (await findOrganization(em, org.personsPool.id)) ?? org : org;
}

export function pageOf(req: ListRequest): { offset: number; limit: number; startIndex: number } {
  const startIndex = Math.max(1, req.startIndex ?? 1);
  const limit = Math.min(MAX_PAGE, Math.max(0, req.count ?? MAX_PAGE));
  return { offset: startIndex - 1, limit, startIndex };
}

export async function listUsers(em: EntityManager, org: Organization, base: string, req: ListRequest): Promise<ListResponse> {
  // Bound to the pools' owners (resolved here, not in SQL): the statement keeps the plan of a lone organization.
  const owner = personsPoolOwnerOf(org);
  const where = req.filter?.trim() ? userFilterToSql(parseUserFilter(req.filter), owner, groupsPoolOwnerOf(org)) : undefined;
  const direction = req.sortOrder?.toLowerCase() === 'descending' ? 'desc' : 'asc';
  const order = req.sortBy ? `${userSortExpression(req.sortBy)} ${direction} nulls last` : 'p.created_at';
  const { offset, limit, startIndex } = pageOf(req);
  const page = await findUserIdPage(em, owner, where, order, offset, limit);
  const persons = await findPersonsInOrganization(em, org.id, page.ids);
  const byId = new Map(persons.map((p) => [p.id, p]));
  const states = await statesOf(em, org, page.ids.map((id) => byId.get(id)!));
  return { totalResults: page.total, startIndex, itemsPerPage: states.length, resources: states.map((s) => userResource(s, base)) };
}

export async function getUser(em: EntityManager, org: Organization, base: string, id: string) {
  return resourceOf(em, org, await getPerson(em, org, id), base);
}

const handlesOf = (w: UserWrite): HandleInput[] => [
  { type: 'username', value: w.userName },
  ...w.emails.map((e) => ({ type: 'email_address' as const, value: e.value })),
  ...w.phones.map((p) => ({ type: 'phone_number' as const, value: p.value })),
];

/** A taken handle is SCIM's 409 `uniqueness`. */
async function withUniqueness<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Conflict && !error.issues.length) throw scimConflict(error.message);
    throw error;
  }
}

/** Ends what a person that can no longer sign in still holds: its sessions and every token. */
async function endAccess(em: EntityManager, personId: string) {
  await endSessionsWhere(em, { person: personId });
  await revokePersonTokens(em, personId);
}

export async function createUser(em: EntityManager, org: Organization, base: string, doc: unknown, region: RegionName) {
  const w = userWriteOf(doc);
  const owner = await personsOrganizationOf(em, org);
  const person = await withUniqueness(() => createPerson(em, owner, {
    handles: handlesOf(w), active: w.active, externalId: w.externalId, locale: w.locale,
  }, region));
  person.scimProfile = w.profile;
  await flushChanges(em);
  return resourceOf(em, org, person, base);
}

async function writeUser(em: EntityManager, org: Organization, person: Person, w: UserWrite) {
  const owner = await personsOrganizationOf(em, org);
  const handles = dedupe(handlesOf(w));
  assertValidHandles(handles);
  await withUniqueness(async () => {
    await assertHandlesFree(em, owner, handles, person);
    await person.handles.init();
    const keep = new Set(handles.map((h) => `${h.type}:${normalizeHandle(h)}`));
    for (const h of person.handles.getItems()) if (!keep.has(`${h.type}:${h.normalized}`)) em.remove(h);
    attachHandles(em, owner, person, handles);
    const deactivated = person.active && !w.active;
    person.active = w.active;
    person.externalId = w.externalId;
    person.locale = w.locale;
    person.scimProfile = w.profile;
    person.updatedAt = new Date();
    await flushChanges(em);
    if (deactivated) await endAccess(em, person.id);
  });
}

export async function replaceUser(
  em: EntityManager, org: Organization, base: string, id: string, doc: unknown, ifMatch?: string | null,
) {
  const person = await getPerson(em, org, id);
  assertIfMatch(ifMatch, userVersion(person.updatedAt));
  await writeUser(em, org, person, userWriteOf(doc));
  return resourceOf(em, org, person, base);
}

interface Operation { op: 'add' | 'replace' | 'remove'; path?: string; value?: unknown }

/** Reads a PatchOp body; Entra ID's capitalised `"Replace"` is the same operation. */
export function operationsOf(body: unknown): Operation[] {
  const read = typeof body === 'object' && body !== null ? body as Record<string, unknown> : {};
  const schemas = read.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(URN.patch)) {
    throw scimInvalid('invalidSyntax', `A PATCH body has schemas: ["${URN.patch}"]`, ['body', 'schemas']);
  }
  const ops = read.Operations ?? read.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw scimInvalid('invalidSyntax', 'Operations must be a non-empty array', ['body', 'Operations']);
  if (ops.length > MAX_OPERATIONS) throw scimInvalid('tooMany', `At most ${MAX_OPERATIONS} operations per PATCH`, ['body', 'Operations']);
  return ops.map((o, i) => {
    const op = typeof o?.op === 'string' ? o.op.toLowerCase() : '';
    if (!['add', 'replace', 'remove'].includes(op)) {
      throw scimInvalid('invalidSyntax', `Operations[${i}].op must be add, replace or remove`, ['body', 'Operations', i, 'op']);
    }
    if (o.path != null && typeof o.path !== 'string') throw scimInvalid('invalidPath', `Operations[${i}].path must be a string`);
    if (op === 'remove' && !o.path) throw scimInvalid('noTarget', `Operations[${i}]: remove needs a path`);
    if (op !== 'remove' && o.value === undefined) throw scimInvalid('invalidValue', `Operations[${i}]: ${op} needs a value`);
    return { op: op as Operation['op'], ...(o.path ? { path: o.path } : {}), ...(o.value !== undefined ? { value: o.value } : {}) };
  });
}

// meta is left out: scim-patch sets meta.lastModified itself; the stored one wins anyway.
const READ_ONLY = ['id', 'groups'] as const;

export async function patchUser(
  em: EntityManager, org: Organization, base: string, id: string, body: unknown, ifMatch?: string | null,
) {
  const operations = operationsOf(body);
  const person = await getPerson(em, org, id);
  assertIfMatch(ifMatch, userVersion(person.updatedAt));
  const current = await resourceOf(em, org, person, base);
  let next: Record<string, unknown>;
  try {
    next = scimPatch(current as never, operations as never, { mutateDocument: false, treatMissingAsAdd: true });
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    const code = (error as { scimCode?: string }).scimCode;
    // The body's syntax was checked above: what the library finds malformed is a path.
    const scimType: ScimType = code && code !== 'invalidSyntax' && (SCIM_TYPES as readonly string[]).includes(code) ? code as ScimType : 'invalidPath';
    throw scimInvalid(scimType, `PATCH: ${error.message.slice(0, 200)}`, ['body', 'Operations']);
  }
  for (const key of READ_ONLY) {
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) {
      throw scimInvalid('mutability', `${key} is read-only${key === 'groups' ? '; change membership through /Groups' : ''}`, ['body', 'Operations']);
    }
  }
  await writeUser(em, org, person, userWriteOf(next));
  return resourceOf(em, org, person, base);
}

export async function deleteUser(em: EntityManager, org: Organization, id: string, ifMatch?: string | null) {
  const person = await getPerson(em, org, id);
  assertIfMatch(ifMatch, userVersion(person.updatedAt));
  await endAccess(em, person.id);
  return deletePerson(em, org, person.id);
}
