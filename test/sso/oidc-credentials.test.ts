// SlashID OIDC provider credentials for SSO (rows 82–86): the client secret is sealed at rest and
// never answered; credentials of one organization are invisible to another; bad input is a 400
// in the SlashID envelope; providers that cannot broker a sign-in are refused for the sign-in page.
import { recordingLogger } from '../helpers/recording-logger.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

const { log, logged } = recordingLogger();

const PATH = '/organizations/sso/oidc/provider-credentials';
const SECRET = 'upstream-client-secret-0123456789abcdef';
let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'info' }, { log });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const create = (org: TestOrg, json: unknown) => call(server.url, 'POST', PATH, { ...as(org), json });
const google = { client_id: 'g-client.apps.example', client_secret: SECRET, provider: 'google', label: 'Google Workspace' };

test('create, list, read one, change, delete — the secret never comes back', async () => {
  const created = await create(acme, { ...google, options: { google: { authorize_scopes: ['openid', 'calendar'] } }, enable_in_slashid_oidc_authz_server: true });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({});
  const okta = await create(acme, { client_id: 'okta-1', client_secret: 's2', provider: 'okta', options: { okta: { organization_url: 'https://acme.okta.example' } } });
  expect(okta.status).toBe(201);

  const list = await call(server.url, 'GET', PATH, as(acme));
  expect(list.status).toBe(200);
  expect(list.body.result).toEqual([
    { client_id: 'g-client.apps.example', provider: 'google', label: 'Google Workspace', enable_in_slashid_oidc_authz_server: true, options: { google: { authorize_scopes: ['openid', 'calendar'] } } },
    { client_id: 'okta-1', provider: 'okta', label: '', enable_in_slashid_oidc_authz_server: false, options: { okta: { organization_url: 'https://acme.okta.example' } } },
  ]);
  const onlyOkta = await call(server.url, 'GET', `${PATH}?oauth_provider=okta`, as(acme));
  expect(onlyOkta.body.result.map((c: { client_id: string }) => c.client_id)).toEqual(['okta-1']);

  const one = await call(server.url, 'GET', `${PATH}/g-client.apps.example`, as(acme));
  expect(one.status).toBe(200);
  expect(one.body.result).toEqual(list.body.result[0]);

  const patched = await call(server.url, 'PATCH', `${PATH}/g-client.apps.example`, { ...as(acme), json: { label: 'Google', client_secret: 'rotated-secret-xyz', external_cred_id: 'ext-1' } });
  expect(patched.status).toBe(200);
  expect(patched.body).toEqual({});
  expect((await call(server.url, 'GET', `${PATH}/g-client.apps.example`, as(acme))).body.result)
    .toMatchObject({ label: 'Google', external_cred_id: 'ext-1' });

  // Sealed at rest; never in an answer, a log line or the audit log.
  const [row] = await server.sql<{ sealed_secret: string }>('select sealed_secret from sso_oidc_credential where client_id = $1', ['g-client.apps.example']);
  expect(row.sealed_secret).not.toContain('rotated-secret-xyz');
  for (const text of [list.text, one.text, logged.join('\n'), JSON.stringify(await server.sql('select * from audit_event'))]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('rotated-secret-xyz');
  }

  const deleted = await call(server.url, 'DELETE', `${PATH}/okta-1`, as(acme));
  expect(deleted.status).toBe(200);
  expect(deleted.body).toEqual({});
  expect((await call(server.url, 'GET', `${PATH}/okta-1`, as(acme))).status).toBe(404);
  expect((await call(server.url, 'DELETE', `${PATH}/okta-1`, as(acme))).status).toBe(404);
});

test('missing or wrong credentials: 401 on every route', async () => {
  const routes: [string, string, unknown?][] = [
    ['GET', PATH], ['POST', PATH, google], ['GET', `${PATH}/x`], ['PATCH', `${PATH}/x`, { label: 'y' }], ['DELETE', `${PATH}/x`],
  ];
  for (const [method, path, json] of routes) {
    const none = await call(server.url, method, path, { json });
    expect(none.status).toBe(401);
    expect(none.body.errors[0].httpcode).toBe(401);
    const wrong = await call(server.url, method, path, { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'wrong' }, json });
    expect(wrong.status).toBe(401);
  }
});

test('another organization sees, changes and deletes none of them', async () => {
  await create(acme, { ...google, client_id: 'acme-only' });
  expect((await call(server.url, 'GET', PATH, as(other))).body.result).toEqual([]);
  expect((await call(server.url, 'GET', `${PATH}/acme-only`, as(other))).status).toBe(404);
  expect((await call(server.url, 'PATCH', `${PATH}/acme-only`, { ...as(other), json: { label: 'mine' } })).status).toBe(404);
  expect((await call(server.url, 'DELETE', `${PATH}/acme-only`, as(other))).status).toBe(404);
  expect((await call(server.url, 'GET', `${PATH}/acme-only`, as(acme))).body.result.label).toBe('Google Workspace');
  // The same client id may exist in another organization.
  expect((await create(other, { ...google, client_id: 'acme-only' })).status).toBe(201);
});

test('bad input: a clear 400 (or 409 for a client id already there), nothing stored', async () => {
  const before = (await server.sql('select count(*)::int as n from sso_oidc_credential'))[0].n;
  const bad: [unknown, number, RegExp][] = [
    [{ ...google, provider: 'myspace' }, 400, /provider/],
    [{ client_id: 'x', provider: 'google' }, 400, /client_secret/],
    [{ ...google, client_id: '' }, 400, /client_id/],
    [{ ...google, client_id: 'a'.repeat(300) }, 400, /client_id/],
    [{ ...google, options: 'nope' }, 400, /options/],
    // The test-only endpoint override of the OAuth 2.0 providers: loopback only, and only where SSO_ALLOW_HTTP_LOOPBACK is set.
    [{ ...google, client_id: 'gh', provider: 'github', options: { github: { test_base_url: 'http://127.0.0.1:9' } } }, 400, /test_base_url/],
    [{ ...google, client_id: 'bb', provider: 'bitbucket', enable_in_slashid_oidc_authz_server: true, options: { bitbucket: { test_base_url: 'https://evil.example' } } }, 400, /test_base_url/],
    [{ ...google, client_id: 'ok', provider: 'okta', enable_in_slashid_oidc_authz_server: true }, 400, /organization_url/],
    [{ ...google, client_id: 'az', provider: 'azuread', enable_in_slashid_oidc_authz_server: true, options: { azuread: { tenant: 'common' } } }, 400, /tenant/],
    [{ ...google, client_id: 'gen', provider: 'oidc', enable_in_slashid_oidc_authz_server: true, options: { oidc: { issuer: 'http://idp.example' } } }, 400, /https/],
    [{ ...google, client_id: 'g-client.apps.example' }, 409, /already exist/],
    [{ ...google, client_id: 'apple', provider: 'apple', options: { apple: { private_key: '-----BEGIN PRIVATE KEY-----', team_id: 't', key_id: 'k' } } }, 400, /private_key: is not accepted/],
  ];
  for (const [json, status, message] of bad) {
    const r = await create(acme, json);
    expect([r.status, r.body.errors?.[0]?.message]).toEqual([status, expect.stringMatching(message)]);
  }
  expect((await call(server.url, 'POST', PATH, { ...as(acme), raw: '{not json' })).status).toBe(400);
  expect((await call(server.url, 'GET', `${PATH}?oauth_provider=myspace`, as(acme))).status).toBe(400);
  expect((await call(server.url, 'PATCH', `${PATH}/g-client.apps.example`, { ...as(acme), json: { client_secret: '' } })).status).toBe(400);
  expect((await call(server.url, 'PATCH', `${PATH}/g-client.apps.example`, { ...as(acme), json: { label: 5 } })).status).toBe(400);
  expect((await call(server.url, 'PATCH', `${PATH}/unknown-client`, { ...as(acme), json: { label: 'x' } })).status).toBe(404);
  // GitHub (OAuth 2.0, no OpenID Connect) can be offered for sign-in; a test endpoint cannot be slipped in by PATCH.
  expect((await create(acme, { ...google, client_id: 'gh-store', provider: 'github' })).status).toBe(201);
  expect((await call(server.url, 'PATCH', `${PATH}/gh-store`, { ...as(acme), json: { enable_in_slashid_oidc_authz_server: true } })).status).toBe(200);
  expect((await call(server.url, 'PATCH', `${PATH}/gh-store`, { ...as(acme), json: { options: { github: { test_base_url: 'http://127.0.0.1:9' } } } })).status).toBe(400);
  expect((await server.sql('select count(*)::int as n from sso_oidc_credential'))[0].n).toBe(before + 1);
});
