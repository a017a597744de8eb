import { decodeJwt } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let personId: string;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  const r = await call(server.url, 'POST', '/persons', { ...as(acme), json: { handles: [{ type: 'email_address', value: 'cfg@example.com' }] } });
  personId = r.body.result.person_id;
  for (const name of ['admins', 'billing']) expect((await call(server.url, 'POST', '/groups', { ...as(acme), json: { name } })).status).toBe(201);
  expect((await call(server.url, 'PUT', `/persons/${personId}/groups`, { ...as(acme), json: { groups: ['billing', 'admins'] } })).status).toBe(200);
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const getConfig = (org: TestOrg) => call(server.url, 'GET', '/organizations/config', as(org));
const patch = (org: TestOrg, json: unknown) => call(server.url, 'PATCH', '/organizations/config', { ...as(org), json });
const storedConfig = async (org: TestOrg) => (await server.sql('select config from organization where id = $1', [org.id]))[0].config;
const mintClaims = async () => {
  const r = await call(server.url, 'POST', `/persons/${personId}/mint-token`, { ...as(acme), json: {} });
  expect(r.status).toBe(201);
  return decodeJwt(r.body.result);
};

const defaults = {
  from_email: '', from_phone_number_sms: '', token_duration: 86400, groups_claim_name: 'groups',
  requires_manual_approval: false, deny_self_registration: false, allowed_factor_methods: [],
  authn_link_allowed_redirect_uris: [], new_person_handle_patterns: [], sudo_mode_duration: 900,
  canonical_identity_ai_matching_enabled: true,
};

describe('GET /organizations/config', () => {
  test('answers the defaults for an organization never configured', async () => {
    const r = await getConfig(other);
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual(defaults);
  });

  test('401 without credentials or with a wrong key', async () => {
    expect((await call(server.url, 'GET', '/organizations/config')).status).toBe(401);
    expect((await call(server.url, 'GET', '/organizations/config', { headers: { ...slashidHeaders(acme), 'SlashID-API-Key': 'nope' } })).status).toBe(401);
    expect((await call(server.url, 'GET', '/organizations/config', { headers: { 'SlashID-OrgID': other.id, 'SlashID-API-Key': acme.apiKey } })).status).toBe(401);
  });
});

describe('PATCH /organizations/config', () => {
  test('stores every writable field; GET returns them; absent fields stay', async () => {
    const change = {
      token_duration: 3600, groups_claim_name: 'dev.slashid.groups', requires_manual_approval: true,
      deny_self_registration: true, allowed_factor_methods: ['webauthn', 'email_link', 'totp'],
      authn_link_allowed_redirect_uris: ['https://app.example/done', 'com.example.app://cb', 'http://localhost:8080/a-path'],
      new_person_handle_patterns: ['*@example.com', '+1*'], sudo_mode_duration: 60,
      authn_redirect_page_ui_config: { theme: 'dark', logo: { url: 'https://app.example/l.png' } },
      canonical_identity_ai_matching_enabled: false,
    };
    const r = await patch(acme, change);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await getConfig(acme)).body.result).toEqual({ from_email: '', from_phone_number_sms: '', ...change });
    expect((await patch(acme, { sudo_mode_duration: 120 })).status).toBe(204);
    expect((await getConfig(acme)).body.result).toEqual({ from_email: '', from_phone_number_sms: '', ...change, sudo_mode_duration: 120 });
    expect((await getConfig(other)).body.result).toEqual(defaults); // the other organization is untouched
  });

  test('minted user tokens last token_duration and carry the person\'s groups in groups_claim_name', async () => {
    expect((await patch(acme, { token_duration: 3600, groups_claim_name: 'dev.slashid.groups' })).status).toBe(204);
    let claims = await mintClaims();
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims['dev.slashid.groups']).toEqual(['admins', 'billing']);
    expect(claims.groups).toBeUndefined();
    // The configured claim cannot be set as a custom claim.
    const clash = await call(server.url, 'POST', `/persons/${personId}/mint-token`, { ...as(acme), json: { custom_claims: { 'dev.slashid.groups': ['root'] } } });
    expect(clash.status).toBe(400);

    // 0 and "" revert to the defaults: 24 h and `groups`.
    expect((await patch(acme, { token_duration: 0, groups_claim_name: '' })).status).toBe(204);
    expect((await getConfig(acme)).body.result).toMatchObject({ token_duration: 86400, groups_claim_name: 'groups' });
    expect(await storedConfig(acme)).not.toHaveProperty('tokenDuration');
    claims = await mintClaims();
    expect(claims.exp! - claims.iat!).toBe(86400);
    expect(claims.groups).toEqual(['admins', 'billing']);
  });

  test('a negative sudo_mode_duration reverts to the default (15 minutes)', async () => {
    expect((await patch(acme, { sudo_mode_duration: -1 })).status).toBe(204);
    expect((await getConfig(acme)).body.result.sudo_mode_duration).toBe(900);
  });

  test.each([
    ['token_duration as a string', { token_duration: '3600' }],
    ['negative token_duration', { token_duration: -1 }],
    ['token_duration over a year', { token_duration: 31_536_001 }],
    ['fractional token_duration', { token_duration: 1.5 }],
    ['groups_claim_name as a number', { groups_claim_name: 7 }],
    ['groups_claim_name with spaces', { groups_claim_name: 'my groups' }],
    ['groups_claim_name over 128 characters', { groups_claim_name: 'g'.repeat(129) }],
    ['groups_claim_name naming a registered claim', { groups_claim_name: 'sub' }],
    ['unknown factor method', { allowed_factor_methods: ['carrier_pigeon'] }],
    ['factor methods not an array', { allowed_factor_methods: 'webauthn' }],
    ['nine redirect URIs', { authn_link_allowed_redirect_uris: Array.from({ length: 9 }, (_, i) => `https://a.example/${i}`) }],
    ['redirect URI with a query', { authn_link_allowed_redirect_uris: ['https://a.example/cb?x=1'] }],
    ['redirect URI with a fragment', { authn_link_allowed_redirect_uris: ['https://a.example/cb#x'] }],
    ['redirect URI to an IP', { authn_link_allowed_redirect_uris: ['https://192.0.2.1/cb'] }],
    ['relative redirect URI', { authn_link_allowed_redirect_uris: ['/cb'] }],
    ['empty handle pattern', { new_person_handle_patterns: [''] }],
    ['requires_manual_approval as a string', { requires_manual_approval: 'yes' }],
    ['ui config as an array', { authn_redirect_page_ui_config: [1] }],
    ['oversize ui config', { authn_redirect_page_ui_config: { blob: 'x'.repeat(70_000) } }],
    ['sudo_mode_duration as a string', { sudo_mode_duration: '60' }],
  ])('400 for %s, nothing stored', async (_, body) => {
    const before = await storedConfig(acme);
    const r = await patch(acme, body);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].httpcode).toBe(400);
    expect(await storedConfig(acme)).toEqual(before);
  });

  test('400 for malformed JSON and a missing body; 401 without credentials; unknown fields are ignored', async () => {
    expect((await call(server.url, 'PATCH', '/organizations/config', { ...as(acme), raw: '{"token_duration":' })).status).toBe(400);
    expect((await call(server.url, 'PATCH', '/organizations/config', as(acme))).status).toBe(400);
    expect((await call(server.url, 'PATCH', '/organizations/config', { json: { token_duration: 60 } })).status).toBe(401);
    expect((await call(server.url, 'PATCH', '/organizations/config', { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': other.apiKey }, json: { token_duration: 60 } })).status).toBe(401);
    expect((await patch(acme, { pricing_tier: 'enterprise', from_email: 'x@example.com' })).status).toBe(204);
    expect((await getConfig(acme)).body.result).toMatchObject({ from_email: '' });
  });

  test('another organization\'s credentials change only that organization', async () => {
    const before = await storedConfig(acme);
    expect((await patch(other, { token_duration: 120 })).status).toBe(204);
    expect(await storedConfig(acme)).toEqual(before);
    expect((await getConfig(other)).body.result.token_duration).toBe(120);
    expect((await getConfig(acme)).body.result.token_duration).toBe(86400);
  });
});

describe('GraphQL', () => {
  test('organization { config } and updateOrganizationConfig; another organization is NOT_FOUND', async () => {
    const gql = (query: string, variables: Record<string, unknown> = {}) =>
      call(server.url, 'POST', '/graphql', { ...as(acme), json: { query, variables } });
    const updated = await gql(`mutation { updateOrganizationConfig(input: { tokenDuration: 7200 }) { config { tokenDuration groupsClaimName } } }`);
    expect(updated.body.data.updateOrganizationConfig.config).toEqual({ tokenDuration: 7200, groupsClaimName: 'groups' });
    const foreign = await gql(`mutation($id: ID) { updateOrganizationConfig(select: { id: $id }, input: { tokenDuration: 60 }) { id } }`, { id: other.id });
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await getConfig(other)).body.result.token_duration).toBe(120);
    const read = await gql(`{ organization { config { tokenDuration sudoModeDuration } } }`);
    expect(read.body.data.organization.config).toEqual({ tokenDuration: 7200, sudoModeDuration: 900 });
  });
});
