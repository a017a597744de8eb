import { defineEntity, p } from '@mikro-orm/core';
import { createdAt } from '../entity-timestamps.ts';

/**
 * A token signing key. The private JWK is encrypted with AES-256-GCM under the master key
 * (`v1.<iv>.<tag>.<ciphertext>`, base64url, the kid as associated data); the public JWK is clear.
 */
export const SigningKeySchema = defineEntity({
  name: 'SigningKey',
  properties: {
    kid: p.string().length(64).primary(),
    /** RS256 | ES256 | EdDSA */
    alg: p.string().length(16),
    publicJwk: p.json<Record<string, unknown>>(),
    privateJwkEncrypted: p.text(),
    createdAt: createdAt(),
    /** Set by rotation: no longer signs; published in the JWKS until `retiresAt`. */
    rotatedAt: p.datetime().nullable(),
    retiresAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['alg', 'createdAt'] }],
  // Every process reloads its keys when one is added, rotated or removed (src/db/invalidation.ts).
  triggers: [{
    name: 'signing_key_notify', timing: 'after', events: ['insert', 'update', 'delete'],
    body: `perform pg_notify('idgraph_invalidate', 'signing_key:' || coalesce(new.kid, old.kid)); return null`,
  }],
});

export class SigningKey extends SigningKeySchema.class {}
SigningKeySchema.setClass(SigningKey);
