import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import { getPerson } from '../../domain/person/person.service.ts';
import {
  attributeBuckets, deleteAttributes, shapeAttributes, shapeBucket, writeAttributes,
} from '../../domain/attribute/attribute.service.ts';
import { removeConsent, setConsent } from '../../domain/consent/consent.service.ts';

const personOf = async (ctx: GraphQLContext, id: string) => {
  const o = await managedOrganizationOf(ctx);
  return { o, person: await getPerson(ctx.em, o, id) };
};

export const attributeResolvers: Resolvers = {
  Query: {
    attributeBuckets: async (_, __, ctx) => attributeBuckets(await managedOrganizationOf(ctx)),
  },
  Organization: {
    attributeBuckets: (o) => attributeBuckets(o),
  },
  Person: {
    attributes: (person, { buckets }, { loaders }) => {
      const values = loaders.attributesByPerson.get(person.id);
      return Array.isArray(values) ? shapeAttributes(values, buckets) : values.then((loaded) => shapeAttributes(loaded, buckets));
    },
    bucketAttributes: async (person, { bucket, names }, { loaders }) =>
      shapeBucket(await loaders.attributesByPerson.load(person.id), bucket, names),
    consent: (person, _, { loaders }) => loaders.consentByPerson.load(person.id) as never,
  },
  Mutation: {
    writePersonAttributes: async (_, { personId, attributes, bucket, merge }, ctx) => {
      const { o, person } = await personOf(ctx, personId);
      return writeAttributes(ctx.em, o, person, attributes, bucket, merge);
    },
    deletePersonAttributes: async (_, { personId, bucket, names }, ctx) =>
      deleteAttributes(ctx.em, (await personOf(ctx, personId)).person, bucket, names),
    setGdprConsent: async (_, { personId, levels, replace }, ctx) =>
      setConsent(ctx.em, (await personOf(ctx, personId)).person, levels, replace),
    removeGdprConsent: async (_, { personId, levels, all }, ctx) =>
      removeConsent(ctx.em, (await personOf(ctx, personId)).person, levels, all ?? false),
  },
};
