// The columns of one attribute in one bucket, whoever holds it (a person: attribute.entity.ts; an
// organization: organization-attribute.entity.ts). Spread after the holder, which leads the key.
import { p } from '@mikro-orm/core';
import { updatedAt } from '../entity-timestamps.ts';

export const bucketAttribute = () => ({
  bucket: p.string().length(64).primary(),
  name: p.string().length(70).primary(),
  value: p.json<unknown>().nullable(),
  updatedAt: updatedAt(),
});
