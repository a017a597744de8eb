import { defineEntity, p } from '@mikro-orm/core';
import { organizationCredentials } from '../../entity-properties.ts';

/**
 * An organization's SAML identity provider (SlashID "SAML provider credentials"): where its
 * metadata lives, which attributes carry the email, and the metadata itself as last fetched
 * (the cache the sign-in reads; refetched when the credentials change or the copy is old).
 */
export const SamlProviderSchema = defineEntity({
  name: 'SamlProvider',
  properties: organizationCredentials({
    label: p.string().length(255),
    idpMetadataUrl: p.string().length(2048),
    emailClaims: p.json<string[]>(),
    enableInOidcAuthzServer: p.boolean().default(false),
    /** The IdP's entityID, from the metadata (shown on the sign-in page when there is no label). */
    idpEntityId: p.string().length(1024),
    idpMetadata: p.text(),
    metadataFetchedAt: p.datetime(),
  }),
  indexes: [{ properties: ['organization', 'createdAt'] }],
});

export class SamlProvider extends SamlProviderSchema.class {}
SamlProviderSchema.setClass(SamlProvider);
