// Organization attributes (endpoint table 1, rows 89–95): the persons' buckets and rules
// (attribute.service.ts: bucket names, name and value limits, replace or merge), stored per
// organization.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { OrganizationAttribute } from './organization-attribute.entity.ts';
import {
  deleteOrganizationAttributesOf, organizationAttributeRows, organizationAttributesInBuckets,
} from './organization-attribute.queries.ts';
import { lockOrganizationRow } from '../organization/api-key.queries.ts';
import { assertBucket, assertBucketedAttributes, shapeAttributes, shapeBucket } from './attribute.service.ts';

export async function organizationAttributes(em: EntityManager, org: Organization, buckets?: readonly string[] | null) {
  buckets?.forEach(assertBucket);
  return shapeAttributes(await organizationAttributeRows(em, org.id), buckets);
}

export async function organizationBucketAttributes(em: EntityManager, org: Organization, bucket: string, names?: readonly string[] | null) {
  assertBucket(bucket);
  return shapeBucket(await organizationAttributeRows(em, org.id), bucket, names);
}

/** `{bucket: {name: value}}`, or `{name: value}` with `bucket`; replaces the named buckets, or merges. */
export async function writeOrganizationAttributes(
  em: EntityManager, org: Organization, input: unknown, bucket: string | null | undefined, merge: boolean,
) {
  if (bucket != null) assertBucket(bucket);
  const byBucket = bucket != null ? { [bucket]: input } : input;
  assertBucketedAttributes(byBucket);
  const names = Object.keys(byBucket);
  if (names.length === 0) return org;
  // Writes of one organization queue on its row: two adding the same name cannot both insert it.
  await lockOrganizationRow(em, org.id);
  const current = await organizationAttributesInBuckets(em, org.id, names);
  for (const [name, attributes] of Object.entries(byBucket)) {
    const existing = new Map(current.filter((a) => a.bucket === name).map((a) => [a.name, a]));
    for (const [key, value] of Object.entries(attributes)) {
      const row = existing.get(key);
      if (row) row.value = value;
      else em.create(OrganizationAttribute, { organization: org, bucket: name, name: key, value });
    }
    if (!merge) for (const [key, row] of existing) if (!(key in attributes)) em.remove(row);
  }
  await em.flush();
  return org;
}

export async function deleteOrganizationAttributes(em: EntityManager, org: Organization, bucket: string, names?: readonly string[] | null) {
  assertBucket(bucket);
  await deleteOrganizationAttributesOf(em, org.id, bucket, names);
  return org;
}
