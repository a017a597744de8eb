// The peer of `npm run bench` (bench/all.ts): panva's oidc-provider with its in-memory adapter, one
// client_credentials client, ES256 signing (JWT access tokens for resource urn:bench) and
// introspection. Usage: node bench/oidc-provider-server.ts <port> <client_id> <client_secret>
import http from 'node:http';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const [port, clientId, clientSecret] = process.argv.slice(2);
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench-es256' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId, client_secret: clientSecret, grant_types: ['client_credentials'], response_types: [], redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic', scope: 'read', id_token_signed_response_alg: 'ES256',
  }],
  jwks: { keys: [jwk] },
  scopes: ['read'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => undefined,
      useGrantedResource: async () => false,
      getResourceServerInfo: async () => ({
        scope: 'read', audience: 'urn:bench', accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
provider.on('server_error', (_ctx: unknown, error: Error) => process.stderr.write(`oidc-provider: ${error.message}\n`));
http.createServer(provider.callback()).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
