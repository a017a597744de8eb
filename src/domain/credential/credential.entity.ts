import { defineEntity, p } from '@mikro-orm/core';
import { Organization } from '../organization/organization.entity.ts';
import { Person } from '../person/person.entity.ts';

/**
 * Something a person proves themselves with: a password (PHC hash in `secret`), a passkey
 * (`public-key`), a TOTP seed, or a zero-knowledge commitment. `secret` never leaves the domain,
 * but for a password's PHC hash, which the organization may export (`Credential.passwordHash`,
 * as SlashID's credential export holds it).
 */
const CredentialSchema = defineEntity({
  name: 'Credential',
  properties: {
    id: p.uuid().primary(),
    organization: () => p.manyToOne(Organization).ref().deleteRule('cascade'),
    person: () => p.manyToOne(Person).ref().deleteRule('cascade'),
    /** password | public-key | totp | zkp */
    type: p.string().length(16),
    label: p.string().length(255).nullable(),
    secret: p.text().nullable(),
    params: p.json<Record<string, unknown>>().nullable(),
    lastUsedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
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
export { CredentialSchema };
