// Rules for persons and their handles. Every function works inside one organization that the
// caller has already been checked to manage.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization as OrganizationEntity } from '../organization/organization.entity.ts';
import type { Organization } from '../organization/organization.entity.ts';
import { Person, Handle } from './person.entity.ts';
import { assertValidHandles, canonicalHandleValue, normalizeHandle } from './handles.ts';
import {
  deletePersonById, deletePersonsInOrganization, findHandleOwner, findPersonById, findPersonPage, type PageRequest,
} from './person.queries.ts';
import { getPerson } from './person-lookup.ts';
import { FALLBACK_REGION, type RegionName } from './regions.ts';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../errors.ts';
import { isUuidShaped, timeOrderedUuid } from '../ids.ts';
import { resolveGroups } from '../access/group.service.ts';
import { groupsPoolOwnerOf } from '../access/group-pool.ts';
import { assertWithinTier } from '../organization/quota.ts';
import { resolveRoles, stagePersonRoles } from '../access/rbac.service.ts';
import { groupIdsOfPerson } from '../access/access.queries.ts';
import { GroupMember } from '../access/group.entity.ts';
import { PersonRole } from '../access/rbac.entity.ts';
import { assertBucketedAttributes, stageNewPersonAttributes } from '../attribute/attribute.service.ts';
import { createCredential } from '../credential/credential.service.ts';
import type { Sealer } from '../../crypto/sealed.ts';
import type {
  BatchCreatePersonsPayload, CreatePersonInput, HandleInput, UpdatePersonInput,
} from '../schema-types.generated.ts';
import { emitEvent } from '../webhook/events.ts';
import { flushOrConflict } from '../unique-flush.ts';

export { getPerson, getPersonByHandle, getPersonById, viewPerson } from './person-lookup.ts';
export { REGIONS } from './regions.ts';

/** Limits of free text: an external id, and a locale (a BCP 47 tag; RFC 5646 asks room for 35 characters). */
export const MAX_TEXT = 255;
export const MAX_LOCALE = 35;

/** One page of an organization's persons (filters, order, total: see findPersonPage). */
export const listPersons = (em: EntityManager, req: PageRequest) => findPersonPage(em, req);

/** Stages memberships of existing groups (validated first) without flushing. */
async function stageGroups(em: EntityManager, org: Organization, person: Person, names: readonly string[] | null | undefined) {
  if (!names?.length) return;
  const groups = await resolveGroups(em, org, names);
  const present = new Set(await groupIdsOfPerson(em, person.id, groupsPoolOwnerOf(org)));
  for (const group of groups) if (!present.has(group.id)) em.create(GroupMember, { group, person });
}

function assertText(name: string, value: string | null | undefined, max = MAX_TEXT) {
  if (value != null && value.length > max) {
    throw new ValidationFailed(`${name} must be at most ${max} characters`);
  }
}

export function dedupe(handles: readonly HandleInput[]): HandleInput[] {
  const seen = new Set<string>();
  return handles.filter((h) => {
    const key = `${h.type}:${normalizeHandle(h)}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export async function assertHandlesFree(em: EntityManager, org: Organization, handles: HandleInput[], owner?: Person) {
  for (const handle of handles) {
    const holder = await findHandleOwner(em, org.id, handle);
    if (holder && holder !== owner) {
      throw new Conflict(`The ${handle.type} handle "${handle.value.slice(0, 64)}" already belongs to another person`);
    }
  }
}

export function attachHandles(em: EntityManager, org: Organization, person: Person, handles: HandleInput[]) {
  const existing = new Set(person.handles.getItems().map((h) => `${h.type}:${h.normalized}`));
  for (const h of handles) {
    const normalized = normalizeHandle(h);
    if (existing.has(`${h.type}:${normalized}`)) continue;
    person.handles.add(em.create(Handle, {
      id: timeOrderedUuid(), organization: org, person, type: h.type, value: canonicalHandleValue(h.value), normalized,
    }));
  }
}

/** Flushes, turning a lost race on a handle's uniqueness into the same 409 as the pre-check. */
export const flushChanges = (em: EntityManager) => flushOrConflict(em, 'A handle or id in this request already belongs to another person');

const MAX_NEW_CREDENTIALS = 20;

function assertNewCredentials(credentials: CreatePersonInput['credentials']) {
  if (!credentials) return;
  if (credentials.length > MAX_NEW_CREDENTIALS) {
    throw new ValidationFailed(`A person is created with at most ${MAX_NEW_CREDENTIALS} credentials`);
  }
  if (credentials.filter((c) => c.type === 'password').length > 1) {
    throw new ValidationFailed('A person holds at most one password credential; send one');
  }
}

/**
 * `defaultRegion`: where a person created without a region goes (DEFAULT_REGION). Attributes and
 * credentials given with the person are written with it, in the same flush; `sealer` seals a TOTP
 * credential's seed (without it, totp credentials are refused). `org` is where the person is stored
 * (its person pool's owner); `acting` the organization acting, whose group and RBAC pools `groups` and `roles` name.
 */
export async function createPerson(
  em: EntityManager, org: Organization, input: CreatePersonInput, defaultRegion: RegionName = FALLBACK_REGION, sealer?: Sealer,
  acting: Organization = org,
): Promise<Person> {
  if (input.handles.length === 0) throw new ValidationFailed('A person needs at least one handle');
  assertValidHandles(input.handles);
  if (input.attributes != null) assertBucketedAttributes(input.attributes);
  assertNewCredentials(input.credentials);
  const roles = await resolveRoles(em, acting, input.roles ?? []);
  const groups = await resolveGroups(em, acting, input.groups ?? []);
  assertText('locale', input.locale, MAX_LOCALE);
  assertText('external_id', input.externalId);
  const handles = dedupe(input.handles);
  await assertHandlesFree(em, org, handles);
  if (input.id != null) {
    if (!isUuidShaped(input.id)) throw new ValidationFailed('A person id must be a UUID (8-4-4-4-12 hex digits)');
    if (await findPersonById(em, input.id)) throw new Conflict(`A person with id "${input.id}" already exists`);
  }
  await assertWithinTier(em, org.id, 'persons');
  const person = em.create(Person, {
    id: input.id ?? timeOrderedUuid(),
    organization: org,
    active: input.active ?? true,
    region: input.region ?? defaultRegion,
    personType: 'regular',
    isVerified: input.isVerified ?? false,
    locale: input.locale ?? null,
    externalId: input.externalId ?? null,
  });
  attachHandles(em, org, person, handles);
  for (const role of roles) em.create(PersonRole, { person, role });
  for (const group of groups) em.create(GroupMember, { group, person });
  if (input.attributes != null) stageNewPersonAttributes(em, org, person, input.attributes);
  for (const c of input.credentials ?? []) await createCredential(em, org, person, c.type, c.label, c.params, sealer);
  await flushChanges(em);
  await emitEvent(em, org.id, 'PersonCreated_v1', { person_id: person.id, region: person.region, handles: handles.map((h) => ({ type: h.type, value: h.value })) });
  return person;
}

/** The person holding any of the handles is updated (active, region, new handles); else created. */
export async function upsertPerson(
  em: EntityManager, org: Organization, input: CreatePersonInput, defaultRegion: RegionName = FALLBACK_REGION, sealer?: Sealer,
  acting: Organization = org,
) {
  assertValidHandles(input.handles);
  let existing: Person | null = null;
  for (const handle of input.handles) {
    existing = await findHandleOwner(em, org.id, handle);
    if (existing) break;
  }
  if (!existing) return { person: await createPerson(em, org, input, defaultRegion, sealer, acting), created: true };
  if (input.attributes != null || input.credentials?.length) {
    // An update has its own routes, with their merge and overwrite rules; a silent partial write would surprise.
    throw new ValidationFailed('A person with one of these handles exists: attributes and credentials are set only when '
      + 'a person is created; write them with the person\'s attributes and credentials routes');
  }
  const handles = dedupe(input.handles);
  await assertHandlesFree(em, org, handles, existing);
  if (input.roles != null) await stagePersonRoles(em, acting, existing, input.roles, true);
  await stageGroups(em, acting, existing, input.groups);
  await existing.handles.init();
  if (input.active != null) existing.active = input.active;
  if (input.region != null) existing.region = input.region;
  attachHandles(em, org, existing, handles);
  await flushChanges(em);
  await emitEvent(em, org.id, 'PersonUpdated_v1', { person_id: existing.id, changed: changedFields(input) });
  return { person: existing, created: false };
}

/** `org`: the person pool's owner; `acting`: the organization acting, whose RBAC pool `roles` name. */
export async function updatePerson(em: EntityManager, org: Organization, id: string, input: UpdatePersonInput, acting: Organization = org) {
  const person = await getPerson(em, org, id);
  assertText('locale', input.locale, MAX_LOCALE);
  if (input.roles != null) await stagePersonRoles(em, acting, person, input.roles, true);
  assertText('external_id', input.externalId);
  if (input.active != null) person.active = input.active;
  if (input.region != null) person.region = input.region;
  if (input.isVerified != null) person.isVerified = input.isVerified;
  if (input.locale !== undefined) person.locale = input.locale;
  if (input.externalId !== undefined) person.externalId = input.externalId;
  if (input.replaceHandles) {
    assertValidHandles(input.replaceHandles, ['replaceHandles']);
    const handles = dedupe(input.replaceHandles);
    await assertHandlesFree(em, org, handles, person);
    await person.handles.init();
    const types = new Set(handles.map((h) => h.type));
    const keep = new Set(handles.map((h) => `${h.type}:${normalizeHandle(h)}`));
    for (const h of person.handles.getItems()) {
      if (types.has(h.type as HandleInput['type']) && !keep.has(`${h.type}:${h.normalized}`)) em.remove(h);
    }
    attachHandles(em, org, person, handles);
  }
  person.updatedAt = new Date();
  await flushChanges(em);
  await emitEvent(em, org.id, 'PersonUpdated_v1', { person_id: person.id, changed: changedFields(input) });
  if (input.roles != null) await emitEvent(em, org.id, 'RoleAssigned_v1', { person_id: person.id, roles: [...input.roles] });
  return person;
}

export async function deletePerson(em: EntityManager, org: Organization, id: string): Promise<string> {
  const person = await getPerson(em, org, id);
  await deletePersonById(em, person.id);
  await emitEvent(em, org.id, 'PersonDeleted_v1', { person_id: person.id });
  return person.id;
}

export async function addHandles(em: EntityManager, org: Organization, personId: string, handles: HandleInput[]) {
  if (handles.length === 0) throw new ValidationFailed('Send at least one handle');
  assertValidHandles(handles, ['body']);
  const person = await getPerson(em, org, personId);
  const unique = dedupe(handles);
  await assertHandlesFree(em, org, unique, person);
  await person.handles.init();
  attachHandles(em, org, person, unique);
  await flushChanges(em);
  return person;
}

export async function removeHandle(em: EntityManager, org: Organization, personId: string, handle: HandleInput) {
  const person = await getPerson(em, org, personId);
  await person.handles.init();
  const normalized = normalizeHandle(handle);
  const found = person.handles.getItems().find((h) => h.type === handle.type && h.normalized === normalized);
  if (!found) throw new NotFound(`The person has no ${handle.type} handle "${handle.value.slice(0, 64)}"`);
  em.remove(found);
  await em.flush();
  return person;
}

/** The most persons (or ids) one batch call takes; the REST faces state it as maxItems. */
export const MAX_BATCH = 500;

/** Creates each person in its own transaction: a failure or duplicate is reported, not fatal. */
/** `org`: where the persons are stored; `acting`: whose group and RBAC pools their groups and roles name. */
export async function batchCreatePersons(
  em: EntityManager, org: Organization, inputs: CreatePersonInput[], defaultRegion: RegionName = FALLBACK_REGION,
  acting: Organization = org,
): Promise<BatchCreatePersonsPayload> {
  if (inputs.length > MAX_BATCH) throw new ValidationFailed(`At most ${MAX_BATCH} persons per batch`);
  const outcome: BatchCreatePersonsPayload = { createdCount: 0, failed: [], duplicates: [] };
  for (const [index, input] of inputs.entries()) {
    try {
      // `acting` is only read (its pools), so the loaded entity goes in as it is.
      await em.transactional((tx) => createPerson(tx, tx.getReference(OrganizationEntity, org.id) as Organization, input, defaultRegion,
        undefined, acting));
      outcome.createdCount++;
    } catch (error) {
      if (error instanceof Conflict) outcome.duplicates.push({ index, reason: error.message });
      else if (error instanceof DomainError) outcome.failed.push({ index, reason: error.message });
      else throw error;
    }
  }
  return outcome;
}

/** Deletes the organization's persons among `ids`; ids of other organizations or unknown are ignored. */
export async function batchDeletePersons(em: EntityManager, org: Organization, ids: string[]): Promise<string[]> {
  if (ids.length > MAX_BATCH) throw new ValidationFailed(`At most ${MAX_BATCH} ids per batch`);
  const deleted = await deletePersonsInOrganization(em, org.id, [...new Set(ids.filter(isUuidShaped))]);
  for (const id of deleted) await emitEvent(em, org.id, 'PersonDeleted_v1', { person_id: id });
  return deleted;
}

/** The names of the fields an update set (PersonUpdated_v1 says what changed, not to what). */
function changedFields(input: object): string[] {
  return Object.entries(input).filter(([, v]) => v !== undefined).map(([k]) => k).sort();
}
