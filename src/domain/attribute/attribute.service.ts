// Person attributes in buckets. Every organization has the six default buckets; an API key of
// the organization reaches all of them. Names ≤70 bytes, values any JSON ≤64 KiB.
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import type { Person } from '../person/person.entity.ts';
import { Attribute } from './attribute.entity.ts';
import { attributeRowsOfPersons, lockPersonForAttributes } from './attribute.queries.ts';
import { deleteBucketRows, rowsInBuckets, type BucketRow, type Holder } from './bucket-rows.queries.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import { jsonIssue, storableText, unstorableReason } from '../storable.ts';

export const DEFAULT_BUCKETS = [
  { name: 'end_user_no_access', sharingScope: 'organization', endUserPermissions: 'no_access' },
  { name: 'end_user_read_only', sharingScope: 'organization', endUserPermissions: 'read_only' },
  { name: 'end_user_read_write', sharingScope: 'organization', endUserPermissions: 'read_write' },
  { name: 'person_pool-end_user_no_access', sharingScope: 'person_pool', endUserPermissions: 'no_access' },
  { name: 'person_pool-end_user_read_only', sharingScope: 'person_pool', endUserPermissions: 'read_only' },
  { name: 'person_pool-end_user_read_write', sharingScope: 'person_pool', endUserPermissions: 'read_write' },
] as const;
const BUCKET_NAMES: readonly string[] = DEFAULT_BUCKETS.map((b) => b.name);

export const MAX_NAME_BYTES = 70;
export const MAX_VALUE_BYTES = 64 * 1024;

export function attributeBuckets(org: Organization) {
  return DEFAULT_BUCKETS.map((b) => ({ ...b, ownerOrganizationId: org.id }));
}

export function assertBucket(name: string) {
  if (!BUCKET_NAMES.includes(name)) {
    throw new NotFound(`No attribute bucket named "${name.slice(0, 70)}"; buckets are ${BUCKET_NAMES.join(', ')}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertAttributes(bucket: string, attributes: unknown): asserts attributes is Record<string, unknown> {
  if (!isObject(attributes)) throw new ValidationFailed(`The attributes of bucket "${bucket}" must be an object of name: value`);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.length === 0 || Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw new ValidationFailed(`Attribute name "${name.slice(0, 80)}" must be 1–${MAX_NAME_BYTES} bytes`);
    }
    if (Buffer.byteLength(JSON.stringify(value) ?? 'null') > MAX_VALUE_BYTES) {
      throw new ValidationFailed(`The value of attribute "${name}" exceeds ${MAX_VALUE_BYTES} bytes of JSON`);
    }
    // Checked here too for attributes that arrive inside another format (a CSV cell of JSON).
    const reason = unstorableReason(name) ?? jsonIssue(value, [])?.msg;
    if (reason) throw new ValidationFailed(`Attribute "${storableText(name.slice(0, 80))}": ${reason}`);
  }
}

/** A row of either owner's attributes (a person's, an organization's). */
type AttributeRow = Pick<Attribute, 'bucket' | 'name' | 'value'>;

/** `{bucket: {name: value}}` from attribute rows (already loaded), narrowed to `buckets`. */
export function shapeAttributes(rows: readonly AttributeRow[], buckets?: readonly string[] | null) {
  buckets?.forEach(assertBucket);
  const wanted = buckets?.length ? new Set(buckets) : undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const row of rows) {
    if (wanted && !wanted.has(row.bucket)) continue;
    (out[row.bucket] ??= {})[row.name] = row.value;
  }
  return out;
}

export function shapeBucket(rows: readonly AttributeRow[], bucket: string, names?: readonly string[] | null) {
  assertBucket(bucket);
  const wanted = names?.length ? new Set(names) : undefined;
  const out: Record<string, unknown> = {};
  for (const row of rows) if (row.bucket === bucket && (!wanted || wanted.has(row.name))) out[row.name] = row.value;
  return out;
}

/** Checks `{bucket: {name: value}}`: known buckets, names and values within limits. */
export function assertBucketedAttributes(input: unknown): asserts input is Record<string, Record<string, unknown>> {
  if (!isObject(input)) throw new ValidationFailed('Send an object of bucket: {name: value}');
  for (const [name, attributes] of Object.entries(input)) {
    assertBucket(name);
    assertAttributes(name, attributes);
  }
}

/** Stages the attributes of a person that has none yet (a new one), without flushing. */
export function stageNewPersonAttributes(em: EntityManager, org: Organization, person: Person, input: unknown) {
  assertBucketedAttributes(input);
  for (const [bucket, attributes] of Object.entries(input)) {
    for (const [name, value] of Object.entries(attributes)) em.create(Attribute, { person, organization: org, bucket, name, value });
  }
}

/** How one owner's (a person's, an organization's) attribute rows are locked, read and created. */
export interface AttributeStore<Row extends { bucket: string; name: string; value: unknown }> {
  /** Holds the owner for the rest of the transaction: two writers adding one name cannot both insert it. */
  lock(): Promise<unknown>;
  rowsIn(buckets: readonly string[]): Promise<Row[]>;
  create(bucket: string, name: string, value: unknown): void;
}

/**
 * `{bucket: {name: value}}`, or `{name: value}` with `bucket`, checked against the bucket rules;
 * replaces the named buckets, or merges into them. The caller flushes.
 */
export async function writeBuckets<Row extends { bucket: string; name: string; value: unknown }>(
  em: EntityManager, store: AttributeStore<Row>, input: unknown, bucket: string | null | undefined, merge: boolean,
): Promise<void> {
  if (bucket != null) assertBucket(bucket);
  const byBucket = bucket != null ? { [bucket]: input } : input;
  assertBucketedAttributes(byBucket);
  const names = Object.keys(byBucket);
  if (names.length === 0) return;
  await store.lock();
  const current = await store.rowsIn(names);
  for (const [name, attributes] of Object.entries(byBucket)) {
    const existing = new Map(current.filter((a) => a.bucket === name).map((a) => [a.name, a]));
    for (const [key, value] of Object.entries(attributes)) {
      const row = existing.get(key);
      if (row) row.value = value;
      else store.create(name, key, value);
    }
    if (!merge) for (const [key, row] of existing) if (!(key in attributes)) em.remove(row);
  }
  await em.flush();
}

export async function writeAttributes(
  em: EntityManager, org: Organization, person: Person, input: unknown, bucket: string | null | undefined, merge: boolean,
) {
  await writeBuckets(em, {
    lock: () => lockPersonForAttributes(em, person.id),
    rowsIn: (buckets) => rowsInBuckets(em, Attribute, { person: person.id }, buckets),
    create: (b, name, value) => em.create(Attribute, { person, organization: org, bucket: b, name, value }),
  }, input, bucket, merge);
  return person;
}

/** Deletes the named attributes of one bucket of `holder`, or the whole bucket when no names are given. */
export async function deleteBucketAttributes<T extends BucketRow>(
  em: EntityManager, entity: EntityName<T>, holder: Holder, bucket: string, names?: readonly string[] | null,
) {
  assertBucket(bucket);
  await deleteBucketRows(em, entity, holder, bucket, names);
}

export async function deleteAttributes(em: EntityManager, person: Person, bucket: string, names?: readonly string[] | null) {
  await deleteBucketAttributes(em, Attribute, { person: person.id }, bucket, names);
  return person;
}

/** Attribute rows of many persons (for the DataLoader): one statement. */
export const attributesOfPersons = (em: EntityManager, personIds: readonly string[]) => attributeRowsOfPersons(em, personIds);
