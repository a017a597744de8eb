import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, ofOrganization } from '../../entity-properties.ts';
import { AuthorizeRequest } from '../../oauth/authorize-request.entity.ts';
import { SamlProvider } from './saml-provider.entity.ts';

/**
 * An AuthnRequest sent to an IdP for a pending authorize request: its ID is the InResponseTo the
 * answer must carry. Spent once (`usedAt`), valid until `expiresAt`.
 */
export const SamlRequestSchema = defineEntity({
  name: 'SamlRequest',
  properties: {
    /** The AuthnRequest's ID attribute (an NCName: `_` and hex). */
    id: p.string().length(64).primary(),
    ...ofOrganization(),
    provider: () => p.manyToOne(SamlProvider).ref().deleteRule('cascade'),
    authorizeRequest: () => p.manyToOne(AuthorizeRequest).ref().deleteRule('cascade'),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});

export class SamlRequest extends SamlRequestSchema.class {}
SamlRequestSchema.setClass(SamlRequest);

/**
 * An assertion already accepted from a provider, kept until it would have expired anyway: the
 * primary key refuses the same assertion a second time (insert or nothing, in one statement).
 */
export const SamlAssertionUseSchema = defineEntity({
  name: 'SamlAssertionUse',
  properties: {
    provider: () => p.manyToOne(SamlProvider).ref().deleteRule('cascade').primary(),
    assertionId: p.string().length(256).primary(),
    expiresAt: p.datetime(),
  },
});

export class SamlAssertionUse extends SamlAssertionUseSchema.class {}
SamlAssertionUseSchema.setClass(SamlAssertionUse);
