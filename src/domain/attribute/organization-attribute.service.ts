// Organization attributes (endpoint table 1, rows 89–95): the persons' buckets and rules
// (attribute.service.ts: bucket names, name and value limits, replace or merge), stored per
// organization.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { OrganizationAttribute } from './organization-attribute.entity.ts';
import { organizationAttributeRows } from './organization-attribute.queries.ts';
import { rowsInBuckets } from './bucket-rows.queries.ts';
import { lockOrganizationRow } from '../organization/api-key.queries.ts';
import { assertBucket, deleteBucketAttributes, shapeAttributes, shapeBucket, writeBuckets } from './attribute.service.ts';

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
  await writeBuckets(em, {
    lock: () => lockOrganizationRow(em, org.id),
    rowsIn: (buckets) => rowsInBuckets(em, OrganizationAttribute, { organization: org.id }, buckets),
    create: (b, name, value) => em.create(OrganizationAttribute, { organization: org, bucket: b, name, value }),
  }, input, bucket, merge);
  return org;
}

export async function deleteOrganizationAttributes(em: EntityManager, org: Organization, bucket: string, names?: readonly string[] | null) {
  await deleteBucketAttributes(em, OrganizationAttribute, { organization: org.id }, bucket, names);
  return org;
}
