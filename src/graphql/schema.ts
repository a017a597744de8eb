// The executable schema: SDL from schema/*.graphql with the resolvers of each area.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { Kind, parse, type GraphQLSchema } from 'graphql';
import { DateTime, JSONScalar, Region, UploadScalar } from './scalars.ts';
import { organizationResolvers } from './resolvers/organization.ts';
import { personResolvers } from './resolvers/person.ts';
import { accessResolvers } from './resolvers/access.ts';
import { attributeResolvers } from './resolvers/attribute.ts';
import { credentialResolvers } from './resolvers/credential.ts';
import { loginResolvers } from './resolvers/login.ts';
import { webauthnResolvers } from './resolvers/webauthn.ts';
import { sessionResolvers } from './resolvers/session.ts';
import { apiKeyResolvers } from './resolvers/api-key.ts';
import { oauthResolvers } from './resolvers/oauth.ts';
import { oauthProtocolResolvers } from './resolvers/oauth-protocol.ts';
import { auditResolvers } from './resolvers/audit.ts';
import { scimResolvers } from './resolvers/scim.ts';
import { webhookResolvers } from './resolvers/webhook.ts';
import { organizationPlatformResolvers } from './resolvers/organization-platform.ts';
import { externalCredentialResolvers } from './resolvers/external-credential.ts';
import { ssoOidcResolvers } from './resolvers/sso-oidc.ts';
import { organizationAttributeResolvers } from './resolvers/organization-attribute.ts';
import { organizationTemplateResolvers } from './resolvers/organization-templates.ts';
import { samlProviderResolvers } from './resolvers/saml-provider.ts';
import { applyAuthGate } from './auth-gate.ts';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');

export function loadTypeDefs(): string[] {
  return readdirSync(schemaDir).filter((f) => f.endsWith('.graphql')).sort()
    .map((f) => readFileSync(path.join(schemaDir, f), 'utf8'));
}

/**
 * Refuses a field defined twice across files (e.g. two areas extending Mutation with one name):
 * merging would silently keep one of them.
 */
export function assertNoDuplicateFields(typeDefs: string[]): void {
  const seen = new Map<string, number>();
  typeDefs.forEach((source, file) => {
    for (const def of parse(source).definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      for (const field of def.fields ?? []) {
        const key = `${def.name.value}.${field.name.value}`;
        if (seen.has(key)) throw new Error(`${key} is defined twice in schema/ (files ${seen.get(key)} and ${file})`);
        seen.set(key, file);
      }
    }
  });
}

export function buildSchema(): GraphQLSchema {
  const typeDefs = loadTypeDefs();
  assertNoDuplicateFields(typeDefs);
  return applyAuthGate(makeExecutableSchema({
    typeDefs,
    resolvers: [
      { DateTime, Region, JSON: JSONScalar, Upload: UploadScalar }, organizationResolvers, personResolvers,
      accessResolvers, attributeResolvers, credentialResolvers, loginResolvers, sessionResolvers, apiKeyResolvers,
      oauthResolvers, oauthProtocolResolvers, auditResolvers, scimResolvers, webhookResolvers,
      webauthnResolvers, organizationPlatformResolvers,
      externalCredentialResolvers, organizationAttributeResolvers, organizationTemplateResolvers, ssoOidcResolvers,
      samlProviderResolvers,
    ] as never,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  }));
}
