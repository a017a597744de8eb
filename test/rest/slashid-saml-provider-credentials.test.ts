// SlashID SAML provider credentials (rows 3–7): the metadata URL is fetched and checked at create
// and patch time (bad URL, unreachable, not metadata, no signing certificate, too large → 400 that
// says why, nothing stored); reads, patches and deletes of unknown or foreign ids are 404;
// refused callers change nothing. The IdP is a real samlify IdP serving its metadata on loopback.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { SamlTestIdp } from '../helpers/saml-idp.ts';
import { assertMetadataUrl } from '../../src/domain/sso/saml/idp-metadata.ts';

const PATH = '/organizations/sso/saml/provider-credentials';
let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let idp: SamlTestIdp;
let second: SamlTestIdp;

beforeAll(async () => {
  server = await startTestServer({ ssoAllowHttpLoopback: true });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  idp = await SamlTestIdp.start();
  second = await SamlTestIdp.start();
});
afterAll(async () => { await idp.close(); await second.close(); await server.close(); });

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const create = (org: TestOrg, json: unknown) => call(server.url, 'POST', PATH, { ...as(org), json });
const count = async () => Number((await server.sql('select count(*) from saml_provider'))[0].count);

test('create, list, read, patch (metadata refetched), delete', async () => {
  const r = await create(acme, { idp_metadata_url: idp.metadataUrl, label: 'Corp IdP', email_claims: ['email', 'mail'], enable_in_slashid_oidc_authz_server: true });
  expect(r.status).toBe(201);
  const id = r.body.result.id;
  expect(r.body.result).toEqual({ id, label: 'Corp IdP', idp_metadata_url: idp.metadataUrl, email_claims: ['email', 'mail'], enable_in_slashid_oidc_authz_server: true });
  const [row] = await server.sql('select idp_entity_id, idp_metadata from saml_provider where id = $1', [id]);
  expect(row.idp_entity_id).toBe(idp.entityId);
  expect(row.idp_metadata).toContain(idp.entityId);

  const list = await call(server.url, 'GET', PATH, as(acme));
  expect(list.status).toBe(200);
  expect(list.body.result).toEqual([r.body.result]);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).body.result).toEqual(r.body.result);

  // A label-only patch keeps the rest; a patch naming a new URL fetches that metadata.
  expect((await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(acme), json: { label: 'Renamed', enable_in_slashid_oidc_authz_server: false } })).status).toBe(204);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).body.result).toMatchObject({ label: 'Renamed', email_claims: ['email', 'mail'], enable_in_slashid_oidc_authz_server: false });
  expect((await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(acme), json: { idp_metadata_url: second.metadataUrl, email_claims: [] } })).status).toBe(204);
  expect((await server.sql('select idp_entity_id from saml_provider where id = $1', [id]))[0].idp_entity_id).toBe(second.entityId);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).body.result).toMatchObject({ idp_metadata_url: second.metadataUrl, email_claims: [] });

  // Defaults: no label, no claims, not on the login page.
  const bare = await create(acme, { idp_metadata_url: idp.metadataUrl });
  expect(bare.body.result).toEqual({ id: expect.any(String), label: '', idp_metadata_url: idp.metadataUrl, email_claims: [], enable_in_slashid_oidc_authz_server: false });

  expect((await call(server.url, 'DELETE', `${PATH}/${id}`, as(acme))).status).toBe(204);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).status).toBe(404);
  expect((await call(server.url, 'DELETE', `${PATH}/${id}`, as(acme))).status).toBe(404);
  expect((await call(server.url, 'GET', PATH, as(acme))).body.result.map((p: { id: string }) => p.id)).toEqual([bare.body.result.id]);
});

test('bad metadata URLs and bad metadata are 400s that say why; nothing is stored', async () => {
  const before = await count();
  const refused = async (json: unknown, message: RegExp) => {
    const r = await create(acme, json);
    expect({ json, status: r.status }).toEqual({ json, status: 400 });
    expect(r.body.errors[0].message).toMatch(message);
  };
  await refused({ idp_metadata_url: 'not a url' }, /absolute https URL/);
  await refused({ idp_metadata_url: 'http://idp.example.com/metadata' }, /must use https/);
  await refused({ idp_metadata_url: 'https://user:pw@idp.example.com/metadata' }, /credentials/);
  await refused({ idp_metadata_url: 'https://10.0.0.1/metadata' }, /not an IP address/);
  await refused({ idp_metadata_url: 'https://localhost/metadata' }, /public host/);
  await refused({ idp_metadata_url: `${idp.url}/nothing-here` }, /answered 404/);
  idp.metadataOverride = { status: 200, body: '<html><body>Sign in</body></html>', contentType: 'text/html' };
  await refused({ idp_metadata_url: idp.metadataUrl }, /does not serve SAML metadata/);
  // Metadata without its signing certificate: a signature could only be checked against the one it carries.
  idp.metadataOverride = { status: 200, body: idp.metadata().replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '') };
  await refused({ idp_metadata_url: idp.metadataUrl }, /no signing certificate/);
  idp.metadataOverride = { status: 200, body: idp.metadata().replace(/<(\w+:)?SingleSignOnService[^>]*(\/>|><\/(\w+:)?SingleSignOnService>)/g, '') };
  await refused({ idp_metadata_url: idp.metadataUrl }, /HTTP-Redirect/);
  idp.metadataOverride = { status: 200, body: `<x>${'a'.repeat(600 * 1024)}</x>` };
  await refused({ idp_metadata_url: idp.metadataUrl }, /larger than/);
  idp.metadataOverride = undefined;
  await refused({ idp_metadata_url: `${idp.url}/slow` }, /no answer within/);
  expect(await count()).toBe(before);

  // A patch with bad metadata changes nothing either.
  const id = (await create(acme, { idp_metadata_url: idp.metadataUrl, label: 'Keep' })).body.result.id;
  const bad = await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(acme), json: { idp_metadata_url: `${idp.url}/nothing-here`, label: 'Changed' } });
  expect(bad.status).toBe(400);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).body.result).toMatchObject({ label: 'Keep', idp_metadata_url: idp.metadataUrl });
}, 30_000);

test('malformed bodies are 400s', async () => {
  const before = await count();
  for (const json of [{}, { idp_metadata_url: 5 }, { idp_metadata_url: idp.metadataUrl, email_claims: ['a', 'b', 'c', 'd'] },
    { idp_metadata_url: idp.metadataUrl, email_claims: [''] }, { idp_metadata_url: idp.metadataUrl, label: 'x'.repeat(256) },
    { idp_metadata_url: idp.metadataUrl, enable_in_slashid_oidc_authz_server: 'yes' }]) {
    expect({ json, status: (await create(acme, json)).status }).toEqual({ json, status: 400 });
  }
  expect((await call(server.url, 'POST', PATH, { ...as(acme), raw: '{nope' })).status).toBe(400);
  expect(await count()).toBe(before);
});

test('missing, wrong and other dialects\' credentials are refused; another organization\'s ids are unknown', async () => {
  const id = (await create(acme, { idp_metadata_url: idp.metadataUrl, label: 'Mine' })).body.result.id;
  const before = await count();
  const json = { idp_metadata_url: idp.metadataUrl };
  for (const headers of [{}, { 'SlashID-OrgID': acme.id }, { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'wrong' },
    { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': other.apiKey }, vaultHeaders(acme)]) {
    expect((await call(server.url, 'POST', PATH, { headers, json })).status).toBe(401);
    expect((await call(server.url, 'GET', PATH, { headers })).status).toBe(401);
    expect((await call(server.url, 'GET', `${PATH}/${id}`, { headers })).status).toBe(401);
    expect((await call(server.url, 'PATCH', `${PATH}/${id}`, { headers, json: { label: 'x' } })).status).toBe(401);
    expect((await call(server.url, 'DELETE', `${PATH}/${id}`, { headers })).status).toBe(401);
  }
  expect(await count()).toBe(before);
  // Tenant isolation: the other organization sees none of acme's providers.
  expect((await call(server.url, 'GET', PATH, as(other))).body.result).toEqual([]);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(other))).status).toBe(404);
  expect((await call(server.url, 'PATCH', `${PATH}/${id}`, { ...as(other), json: { label: 'stolen' } })).status).toBe(404);
  expect((await call(server.url, 'DELETE', `${PATH}/${id}`, as(other))).status).toBe(404);
  expect((await call(server.url, 'GET', `${PATH}/${id}`, as(acme))).body.result.label).toBe('Mine');
  // Unknown and malformed ids.
  for (const unknown of ['00000000-0000-7000-8000-000000000000', 'not-an-id']) {
    expect((await call(server.url, 'GET', `${PATH}/${unknown}`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'PATCH', `${PATH}/${unknown}`, { ...as(acme), json: { label: 'x' } })).status).toBe(404);
    expect((await call(server.url, 'DELETE', `${PATH}/${unknown}`, as(acme))).status).toBe(404);
  }
});

test('the metadata URL rule: http://127.0.0.1 only when SSO_ALLOW_HTTP_LOOPBACK is set', () => {
  expect(() => assertMetadataUrl('http://127.0.0.1:8080/metadata', false)).toThrow(/must use https/);
  expect(() => assertMetadataUrl('https://127.0.0.1/metadata', false)).toThrow(/not an IP address/);
  expect(assertMetadataUrl('http://127.0.0.1:8080/metadata', true)).toBe('http://127.0.0.1:8080/metadata');
  expect(assertMetadataUrl('https://idp.example.com/app/metadata?id=1', false)).toBe('https://idp.example.com/app/metadata?id=1');
  expect(() => assertMetadataUrl('https://idp.example.com/metadata#x', false)).toThrow(/fragment/);
});
