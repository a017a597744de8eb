import crypto from 'node:crypto';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const vaultAs = (org: TestOrg) => ({ headers: vaultHeaders(org) });
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const newClient = { client_name: 'Portal', scopes: ['openid', 'email'], grant_types: ['authorization_code'], redirect_uris: ['https://app.example/cb'] };
const clientRow = async (clientId: string) => (await server.sql('select * from oauth_client where client_id = $1', [clientId]))[0];

describe('SlashID /oauth2/clients', () => {
  test('creates a client: 201, secret shown once, only its SHA-256 stored', async () => {
    const r = await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: newClient });
    expect(r.status).toBe(201);
    expect(r.body.result).toMatchObject({
      client_name: 'Portal', scopes: ['openid', 'email'], grant_types: ['authorization_code'],
      response_types: [['code']], public: false, access_token_duration: 86400, refresh_token_duration: 864000,
      redirect_uris: ['https://app.example/cb'],
    });
    expect(r.body.result.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.result.client_secret.length).toBeGreaterThanOrEqual(40);
    const row = await clientRow(r.body.result.client_id);
    expect(row.secret_hash).toBe(sha256(r.body.result.client_secret));
    expect(JSON.stringify(row)).not.toContain(r.body.result.client_secret);

    const got = await call(server.url, 'GET', `/oauth2/clients/${r.body.result.client_id}`, as(acme));
    expect(got.status).toBe(200);
    expect(got.body.result.client_secret).toBeUndefined();
    const list = await call(server.url, 'GET', '/oauth2/clients', as(acme));
    expect(list.body.result.map((c: any) => c.client_id)).toContain(r.body.result.client_id);
  });

  test('a public client has no secret', async () => {
    const r = await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: { ...newClient, public: true } });
    expect(r.status).toBe(201);
    expect(r.body.result.client_secret).toBeUndefined();
    expect((await clientRow(r.body.result.client_id)).secret_hash).toBeNull();
    const rotate = await call(server.url, 'PUT', `/oauth2/clients/${r.body.result.client_id}/secret`, as(acme));
    expect(rotate.status).toBe(400);
  });

  test.each([
    ['unknown grant type', { ...newClient, grant_types: ['password'] }],
    ['missing client_name', { scopes: [], grant_types: [] }],
    ['wrong type for scopes', { ...newClient, scopes: 'openid' }],
    ['oversize name', { ...newClient, client_name: 'n'.repeat(300) }],
    ['bad redirect uri', { ...newClient, redirect_uris: ['not a uri'] }],
    ['fragment in redirect uri', { ...newClient, redirect_uris: ['https://a.example/cb#x'] }],
    ['public with client_credentials', { ...newClient, public: true, grant_types: ['client_credentials'] }],
    ['zero duration', { ...newClient, access_token_duration: 0 }],
  ])('answers 400 for %s and creates nothing', async (_, json) => {
    const before = await server.sql('select count(*)::int as n from oauth_client');
    const r = await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].httpcode).toBe(400);
    expect(await server.sql('select count(*)::int as n from oauth_client')).toEqual(before);
  });

  test('answers 400 for malformed JSON and 401 without credentials', async () => {
    expect((await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), raw: '{"client_name":' })).status).toBe(400);
    expect((await call(server.url, 'GET', '/oauth2/clients')).status).toBe(401);
    const wrong = await call(server.url, 'GET', '/oauth2/clients', { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'nope' } });
    expect(wrong.status).toBe(401);
  });

  test('PATCH changes fields; PUT …/secret rotates (old secret stops matching)', async () => {
    const created = (await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: newClient })).body.result;
    const r = await call(server.url, 'PATCH', `/oauth2/clients/${created.client_id}`, {
      ...as(acme), json: { client_name: 'Portal 2', grant_types: ['authorization_code', 'client_credentials'], access_token_duration: 600 },
    });
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ client_name: 'Portal 2', access_token_duration: 600, scopes: ['openid', 'email'] });
    const rotated = await call(server.url, 'PUT', `/oauth2/clients/${created.client_id}/secret`, as(acme));
    expect(rotated.status).toBe(200);
    expect(rotated.body.result.client_secret).not.toBe(created.client_secret);
    expect((await clientRow(created.client_id)).secret_hash).toBe(sha256(rotated.body.result.client_secret));
  });

  test('UI configuration round-trips', async () => {
    const created = (await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: newClient })).body.result;
    const empty = await call(server.url, 'GET', `/oauth2/clients/${created.client_id}/ui-configuration`, as(acme));
    expect(empty.body).toEqual({ result: {} });
    const put = await call(server.url, 'PUT', `/oauth2/clients/${created.client_id}/ui-configuration`, {
      ...as(acme), json: { logoUrl: 'https://cdn.example/logo.png', pageTitle: 'Sign in', themeVars: { x: '1' } },
    });
    expect(put.status).toBe(201);
    const got = await call(server.url, 'GET', `/oauth2/clients/${created.client_id}/ui-configuration`, as(acme));
    expect(got.body.result).toEqual({ logoUrl: 'https://cdn.example/logo.png', pageTitle: 'Sign in', themeVars: { x: '1' } });
  });

  test('another organization gets 404 on every route and changes nothing', async () => {
    const created = (await call(server.url, 'POST', '/oauth2/clients', { ...as(acme), json: newClient })).body.result;
    const before = await clientRow(created.client_id);
    const path = `/oauth2/clients/${created.client_id}`;
    expect((await call(server.url, 'GET', path, as(other))).status).toBe(404);
    expect((await call(server.url, 'PATCH', path, { ...as(other), json: { client_name: 'x' } })).status).toBe(404);
    expect((await call(server.url, 'PUT', `${path}/secret`, as(other))).status).toBe(404);
    expect((await call(server.url, 'GET', `${path}/ui-configuration`, as(other))).status).toBe(404);
    expect((await call(server.url, 'PUT', `${path}/ui-configuration`, { ...as(other), json: {} })).status).toBe(404);
    expect((await call(server.url, 'DELETE', path, as(other))).status).toBe(404);
    expect(await clientRow(created.client_id)).toEqual(before);
    const list = await call(server.url, 'GET', '/oauth2/clients', as(other));
    expect(list.body.result ?? []).toEqual([]);
  });

  test('an ancestor manages a suborganization\'s client; unknown ids are 404', async () => {
    const t = await call(server.url, 'POST', '/tenants', { ...vaultAs(acme), json: { tenant_id: 'acme-sub' } });
    expect(t.status).toBe(201);
    const created = await call(server.url, 'POST', '/clients', {
      ...vaultAs(acme), json: { client_id: 'sub-app', name: 'Sub app', tenant_id: 'acme-sub', redirect_uris: ['https://sub.example/cb'] },
    });
    expect(created.status).toBe(200);
    expect((await call(server.url, 'GET', '/oauth2/clients/sub-app', as(acme))).status).toBe(200);
    expect((await call(server.url, 'GET', `/oauth2/clients/${crypto.randomUUID()}`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'DELETE', '/oauth2/clients/sub-app', as(acme))).status).toBe(204);
    expect((await call(server.url, 'GET', '/oauth2/clients/sub-app', as(acme))).status).toBe(404);
  });
});

describe('Secrets Vault /clients', () => {
  const body = {
    client_id: 'web-portal', name: 'Web portal', tenant_id: 'acme-vault', redirect_uris: ['https://portal.example/cb'],
    post_logout_redirect_uri: ['https://portal.example/bye'], allowed_scopes: ['openid', 'profile'], logo_uri: 'https://portal.example/logo.png',
  };

  beforeAll(async () => {
    expect((await call(server.url, 'POST', '/tenants', { ...vaultAs(acme), json: { tenant_id: 'acme-vault', display_name: 'Acme Vault' } })).status).toBe(201);
  });

  test('POST /clients creates with defaults and shows the generated secret once', async () => {
    const r = await call(server.url, 'POST', '/clients', { ...vaultAs(acme), json: body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      client_id: 'web-portal', name: 'Web portal', tenant_id: 'acme-vault', client_type: 'confidential', sing_alg: 'EdDSA',
      is_lock: false, allowed_scopes: ['openid', 'profile'], post_logout_redirect_uri: ['https://portal.example/bye'],
      logo_uri: 'https://portal.example/logo.png',
    });
    expect(typeof r.body.client_secret).toBe('string');
    expect((await clientRow('web-portal')).secret_hash).toBe(sha256(r.body.client_secret));
    const list = await call(server.url, 'GET', '/clients?tenant_id=acme-vault', vaultAs(acme));
    expect(list.status).toBe(200);
    expect(list.body.clients).toHaveLength(1);
    expect(list.body.clients[0].client_secret).toBeNull();
  });

  test('duplicate client_id is 409; bad values are 422', async () => {
    expect((await call(server.url, 'POST', '/clients', { ...vaultAs(acme), json: body })).status).toBe(409);
    const bad = await call(server.url, 'POST', '/clients', { ...vaultAs(acme), json: { ...body, client_id: 'x2', sing_alg: 'HS256' } });
    expect(bad.status).toBe(422);
    expect(Array.isArray(bad.body.detail)).toBe(true);
    expect((await call(server.url, 'POST', '/clients', { ...vaultAs(acme), json: { ...body, client_id: 'x3', name: 5 } })).status).toBe(422);
    expect((await call(server.url, 'POST', '/clients', { ...vaultAs(acme), raw: '{' })).status).toBe(422);
    expect((await call(server.url, 'POST', '/clients', { ...vaultAs(acme), json: { ...body, client_id: 'bad id!' } })).status).toBe(422);
  });

  test('PUT /clients/{client_id} updates, and a given secret replaces the old one', async () => {
    const r = await call(server.url, 'PUT', '/clients/web-portal', {
      ...vaultAs(acme), json: { ...body, name: 'Portal v2', sing_alg: 'RS256', client_secret: 'a-new-secret-of-enough-length' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
    const row = await clientRow('web-portal');
    expect(row).toMatchObject({ name: 'Portal v2', sign_alg: 'RS256', secret_hash: sha256('a-new-secret-of-enough-length') });
  });

  test('another organization: 404 and nothing changed; no credentials: 401', async () => {
    const before = await clientRow('web-portal');
    expect((await call(server.url, 'PUT', '/clients/web-portal', { ...vaultAs(other), json: { ...body, name: 'Hijack' } })).status).toBe(404);
    expect((await call(server.url, 'GET', '/clients?tenant_id=acme-vault', vaultAs(other))).status).toBe(404);
    expect((await call(server.url, 'POST', '/clients', { ...vaultAs(other), json: { ...body, client_id: 'steal' } })).status).toBe(404);
    expect(await clientRow('web-portal')).toEqual(before);
    expect((await call(server.url, 'GET', '/clients?tenant_id=acme-vault')).status).toBe(401);
    expect((await call(server.url, 'PUT', '/clients/nope', { ...vaultAs(acme), json: { ...body, client_id: 'nope' } })).status).toBe(404);
  });

  test('GET /auth/client and /auth/client-tenant answer without credentials, never the secret', async () => {
    const r = await call(server.url, 'GET', '/auth/client?client_id=web-portal&tenant_id=acme-vault');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ client_id: 'web-portal', tenant_id: 'acme-vault', logo_uri: 'https://portal.example/logo.png', tenant_name: 'Acme Vault' });
    expect(JSON.stringify(r.body)).not.toMatch(/secret/);
    const t = await call(server.url, 'GET', '/auth/client-tenant?client_id=web-portal&tenant_id=acme-vault');
    expect(t.status).toBe(200);
    expect(t.body.tenant).toMatchObject({ tenant_id: 'acme-vault', display_name: 'Acme Vault', pin_size: 6, patter_size: 3 });
    expect(t.body.client.client_id).toBe('web-portal');
    expect((await call(server.url, 'GET', '/auth/client?client_id=web-portal&tenant_id=other')).status).toBe(404);
    expect((await call(server.url, 'GET', '/auth/client?client_id=web-portal')).status).toBe(422);
  });
});
