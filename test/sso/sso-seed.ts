// An SSO authentication without an upstream: upstream tokens stored through the domain service and
// a token container signed with the server's own keys (for tests of the token operations' shapes).
import crypto from 'node:crypto';
import { Sealer } from '../../src/crypto/sealed.ts';
import { KeyStore, loadMasterKey } from '../../src/domain/oauth/keys.ts';
import { signJwt } from '../../src/domain/oauth/tokens.service.ts';
import { findOidcCredentialByClientId } from '../../src/domain/sso/oidc-credential.queries.ts';
import { storeUpstreamTokens } from '../../src/domain/sso/oidc-tokens.service.ts';
import type { TestServer } from '../helpers/server.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

export async function seedSsoAuthentication(server: TestServer, organizationId: string, personId: string, clientId: string) {
  const masterKey = await loadMasterKey(server.config.masterKey, server.config.dataDir, silent as never);
  const em = server.db.orm.em.fork();
  const credential = await findOidcCredentialByClientId(em, organizationId, clientId);
  if (!credential) throw new Error(`no SSO credentials ${clientId}`);
  const authenticationId = crypto.randomUUID();
  const now = Math.floor(Date.now() / 1000);
  await storeUpstreamTokens(em, new Sealer(masterKey), {
    organizationId, personId, authenticationId, credential, accessToken: `upstream-at-${authenticationId}`, expiresIn: 3600,
    refreshToken: `upstream-rt-${authenticationId}`, idToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', idTokenExp: now + 3600,
    extraCallbackValues: { hd: 'corp.example' },
  });
  const keys = new KeyStore(server.db.orm, masterKey);
  const container = await signJwt(keys, 'ES256', {
    iss: server.url, sub: personId, org_id: organizationId, iat: now, exp: now + 600,
    authenticated_methods: ['oidc'], authentications: [{ method: 'oidc', id: authenticationId }],
  });
  return { authenticationId, container };
}
