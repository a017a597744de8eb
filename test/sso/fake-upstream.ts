// A tiny OpenID provider that misbehaves on purpose (what oidc-provider will not do): discovery,
// JWKS and a token endpoint whose ID token is signed as `mode` says — good, for another audience,
// with another nonce, by another key, or from another issuer. The authorization step is skipped:
// the test reads state and nonce off the authorization URL and calls idgraph's callback itself.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export type FakeMode = 'good' | 'wrong-audience' | 'wrong-nonce' | 'bad-signature' | 'wrong-issuer' | 'expired';

export interface FakeUpstream {
  issuer: string;
  mode: FakeMode;
  /** The nonce of the sign-in under way (read from the authorization URL by the test). */
  nonce: string;
  email: { email: string; email_verified: boolean };
  close: () => Promise<void>;
}

export async function startFakeUpstream(clientId: string): Promise<FakeUpstream> {
  const good = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(good.publicKey)), kid: 'fake-1', alg: 'RS256', use: 'sig' };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeUpstream = {
    issuer, mode: 'good', nonce: '', email: { email: 'fake-user@corp.example', email_verified: true },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const json = (res: http.ServerResponse, body: unknown) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)); };
  server.on('request', async (req, res) => {
    const path = new URL(req.url!, issuer).pathname;
    if (path === '/.well-known/openid-configuration') {
      return json(res, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (path === '/jwks') return json(res, { keys: [jwk] });
    if (path === '/token' && req.method === 'POST') {
      for await (const _ of req) { /* drain */ }
      const now = Math.floor(Date.now() / 1000);
      const m = fake.mode;
      const idToken = await new SignJWT({ nonce: m === 'wrong-nonce' ? 'another-nonce' : fake.nonce, ...fake.email })
        .setProtectedHeader({ alg: 'RS256', kid: 'fake-1' })
        .setIssuer(m === 'wrong-issuer' ? 'https://evil.example' : issuer)
        .setSubject('fake-sub-1')
        .setAudience(m === 'wrong-audience' ? 'someone-else' : clientId)
        .setIssuedAt(m === 'expired' ? now - 7200 : now)
        .setExpirationTime(m === 'expired' ? now - 3600 : now + 300)
        .sign(m === 'bad-signature' ? other.privateKey : good.privateKey);
      return json(res, { access_token: `fake-at-${now}`, token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    res.statusCode = 404;
    res.end();
  });
  return fake;
}
