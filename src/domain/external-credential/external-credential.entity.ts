import { defineEntity, p } from '@mikro-orm/core';
import { organizationCredentials } from '../entity-properties.ts';

export const EXTERNAL_PROVIDERS = ['google', 'onfido', 'shopify', 'generic'] as const;
export const EXTERNAL_CREDENTIAL_TYPES = ['api_key', 'client_credentials', 'user_pass', 'api_id_access', 'access_token', 'json_credentials'] as const;

/**
 * An organization's credentials for a third-party service (SlashID external credentials). The
 * secret material is sealed under the master key (AES-256-GCM, the row id as associated data);
 * only the single-credential read opens it.
 */
export const ExternalCredentialSchema = defineEntity({
  name: 'ExternalCredential',
  properties: organizationCredentials({
    provider: p.enum([...EXTERNAL_PROVIDERS]),
    type: p.enum([...EXTERNAL_CREDENTIAL_TYPES]),
    label: p.string().length(255),
    sealedContent: p.text(),
  }),
  indexes: [{ properties: ['organization', 'createdAt'] }],
});

export class ExternalCredential extends ExternalCredentialSchema.class {}
ExternalCredentialSchema.setClass(ExternalCredential);
