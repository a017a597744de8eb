import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, personRow } from '../entity-properties.ts';

/** How an upstream identity provider speaks to us: OpenID Connect or SAML 2.0. */
export const UPSTREAM_KINDS = ['oidc', 'saml'] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

/**
 * A person's identity at an upstream provider (brokered sign-in): the provider's subject, linked
 * once to a person of the organization's person pool, so the next sign-in finds that person even
 * when the upstream email changed. `organization` is the owner of the person pool.
 */
export const UpstreamIdentitySchema = defineEntity({
  name: 'UpstreamIdentity',
  properties: {
    ...personRow(),
    kind: p.enum([...UPSTREAM_KINDS]),
    /** The provider configuration's id (OIDC credentials or SAML credentials). */
    providerId: p.string().length(255),
    subject: p.string().length(255),
    /** The email the provider gave at the last sign-in. */
    email: p.string().length(320).nullable(),
    createdAt: createdAt(),
    lastSignInAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['organization', 'kind', 'providerId', 'subject'] }],
  indexes: [{ properties: ['person'] }],
});

export class UpstreamIdentity extends UpstreamIdentitySchema.class {}
UpstreamIdentitySchema.setClass(UpstreamIdentity);
