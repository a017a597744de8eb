// The issuer's public keys (RFC 7517 JWK Set): every live signing key, the same set at every
// issuer; cacheable for a minute (a rotation keeps old keys published longer than that).
import { defineEndpoint } from '../endpoint.ts';

export const jwks = defineEndpoint({
  kind: 'document', name: 'jwks', methods: ['GET'], cors: true,
  async serve({ issuer, runtime }) {
    await issuer(); // an unknown realm has no keys to show
    return {
      body: await runtime.keys.publicJwks(),
      headers: { 'Cache-Control': 'public, max-age=60', 'Content-Type': 'application/jwk-set+json' },
    };
  },
});
