// The issuer's public keys (RFC 7517 JWK Set): every live signing key, the same set at every
// issuer; cacheable for a minute (a rotation keeps old keys published longer than that).
import { defineEndpoint } from '../endpoint.ts';
import { ISSUER_LAYOUT } from '../../domain/oauth/endpoints.ts';

export const jwks = defineEndpoint({
  kind: 'document', name: 'jwks', methods: ['GET'], cors: true,
  async serve({ ctx, issuer, runtime }) {
    await issuer(); // an unknown realm has no keys to show
    return {
      body: await runtime.keys.publicJwks(),
      // SlashID's reference answers its /.well-known/jwks.json as application/json; the realms'
      // certs keep RFC 7517's own media type.
      headers: {
        'Cache-Control': 'public, max-age=60',
        'Content-Type': ctx.path === ISSUER_LAYOUT.jwks.root ? 'application/json' : 'application/jwk-set+json',
      },
    };
  },
});
