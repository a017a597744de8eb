import { defineEntity, p } from '@mikro-orm/core';
import { personRow, timestamps } from '../entity-properties.ts';

/**
 * Something a person proves themselves with: a password (PHC hash in `secret`), a passkey
 * (`public-key`), a TOTP seed, or a zero-knowledge commitment. `secret` never leaves the domain,
 * but for a password's PHC hash, which the organization may export (`Credential.passwordHash`,
 * as SlashID's credential export holds it).
 */
export const CredentialSchema = defineEntity({
  name: 'Credential',
  properties: {
    ...personRow(),
    /** password | public-key | totp | zkp */
    type: p.string().length(16),
    label: p.string().length(255).nullable(),
    secret: p.text().nullable(),
    params: p.json<Record<string, unknown>>().nullable(),
    lastUsedAt: p.datetime().nullable(),
    ...timestamps(),
  },
  indexes: [
    { properties: ['person', 'type'] },
    // A passkey sign-in finds the credential by the id its authenticator answers with; one
    // organization holds a WebAuthn credential id once (a lost race at registration is a 409).
    {
      name: 'credential_webauthn_id_index',
      expression: `create unique index "credential_webauthn_id_index" on "credential" ("organization_id", (params->>'webauthn_credential_id')) where type = 'public-key'`,
    },
  ],
});

export class Credential extends CredentialSchema.class {}
CredentialSchema.setClass(Credential);
