// The executable schema: SDL from schema/*.graphql with the resolvers of each area.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { DateTime, JSONScalar, Region, UploadScalar } from './scalars.ts';
import { organizationResolvers } from './resolvers/organization.ts';
import { personResolvers } from './resolvers/person.ts';
import { accessResolvers } from './resolvers/access.ts';
import { attributeResolvers } from './resolvers/attribute.ts';
import { credentialResolvers } from './resolvers/credential.ts';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');

export function loadTypeDefs(): string[] {
  return readdirSync(schemaDir).filter((f) => f.endsWith('.graphql')).sort()
    .map((f) => readFileSync(path.join(schemaDir, f), 'utf8'));
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [{ DateTime, Region, JSON: JSONScalar, Upload: UploadScalar }, organizationResolvers, personResolvers, accessResolvers, attributeResolvers, credentialResolvers] as never,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}
