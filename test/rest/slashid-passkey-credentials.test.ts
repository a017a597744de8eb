// The SlashID face and the vault face share passkeys: a passkey registered through
// /webauthn/register/* is a `public-key` credential of /persons/{id}/credentials (public facts
// only), one created there (a migrated WebAuthn credential) signs in through /webauthn/authenticate/*,
// and one deleted there signs nobody in.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, registerUser } from '../helpers/zkp.ts';
import { SoftAuthenticator } from '../helpers/webauthn.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let kimId: string;
let kimKey: string;

const credentials = (org: TestOrg, personId: string) => `/persons/${personId}/credentials`;
const signIn = async (authenticator: SoftAuthenticator) => {
  const options = await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${acme.id}`, { json: {} });
  return call(server.url, 'POST', `/webauthn/authenticate/verify?tenant_id=${acme.id}`, { json: authenticator.assert(options.body) });
};

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await enableRegistration(server.url, acme, acme.id, { passkey_enabled: true });
  await registerUser(server.url, acme.id, 'kim', 'kim secret');
  kimId = (await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/kim`, { headers: vaultHeaders(acme) })).body.user_id;
  kimKey = (await call(server.url, 'POST', '/api-keys', {
    headers: vaultHeaders(acme), json: { name: 'pk', scopes: ['passkeys:write'], tenant_id: acme.id, user_id: kimId },
  })).body.api_key;
});
afterAll(() => server.close());

test('a passkey registered on the vault face is a public-key credential on the SlashID face, without secrets', async () => {
  const authenticator = new SoftAuthenticator(server.url);
  const options = await call(server.url, 'POST', '/webauthn/register/options', { headers: { 'X-API-Key': kimKey } });
  const { body, passkey } = authenticator.register(options.body);
  expect((await call(server.url, 'POST', '/webauthn/register/verify', { headers: { 'X-API-Key': kimKey }, json: { ...body, name: 'Laptop' } })).status).toBe(200);
  expect((await signIn(authenticator)).status).toBe(200);

  const list = await call(server.url, 'GET', credentials(acme, kimId), { headers: slashidHeaders(acme) });
  expect(list.status).toBe(200);
  const found = list.body.result.filter((c: { type: string }) => c.type === 'public-key');
  expect(found).toEqual([{
    id: expect.any(String), type: 'public-key', label: 'Laptop', last_used: expect.any(String),
    params: {
      webauthn_credential_id: passkey.id.toString('base64url'), public_key: Buffer.from(passkey.cosePublicKey).toString('base64url'),
      attestation_type: 'none', authenticator: { aaguid: '00000000-0000-0000-0000-000000000000', attachment: 'platform' },
    },
  }]);
  // another organization sees nothing of it
  expect((await call(server.url, 'GET', credentials(other, kimId), { headers: slashidHeaders(other) })).status).toBe(404);

  // deleted on the SlashID face: it signs nobody in
  expect((await call(server.url, 'DELETE', `${credentials(acme, kimId)}/${found[0].id}`, { headers: slashidHeaders(acme) })).status).toBe(204);
  expect((await signIn(authenticator)).status).toBe(401);
  expect((await call(server.url, 'GET', '/user/me/passkeys', { headers: { 'X-API-Key': kimKey } })).status).toBe(403); // no passkeys:read
});

test('a WebAuthn credential imported on the SlashID face signs in on the vault face', async () => {
  // the credential comes from elsewhere: registered against another server, its public key exported
  const authenticator = new SoftAuthenticator(server.url);
  authenticator.register({ challenge: 'AAAA', rp: { id: '127.0.0.1' } });
  const [passkey] = authenticator.passkeys;
  const created = await call(server.url, 'POST', credentials(acme, kimId), {
    headers: slashidHeaders(acme),
    json: {
      type: 'public-key', label: 'Imported',
      params: { webauthn_credential_id: passkey.id.toString('base64url'), public_key: Buffer.from(passkey.cosePublicKey).toString('base64url'), attestation_type: 'none' },
    },
  });
  expect(created.status).toBe(201);
  // the same credential id twice in one organization: 409
  const again = await call(server.url, 'POST', credentials(acme, kimId), {
    headers: slashidHeaders(acme), json: { type: 'public-key', params: { webauthn_credential_id: passkey.id.toString('base64url'), public_key: 'pQECAyYgASFYIA' } },
  });
  expect(again.status).toBe(409);
  expect(again.body.errors[0].message).toMatch(/already holds a public-key credential/);
  const r = await signIn(authenticator);
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ nonce: expect.any(String), need_verify: false });
  const [row] = await server.sql(`select person_id from login_ticket where method = 'passkey' order by created_at desc limit 1`);
  expect(row.person_id).toBe(kimId);
});
