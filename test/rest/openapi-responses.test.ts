// Every served SlashID operation's success body, from real calls against a test server, validates
// against the reference document's response schema (its structure is in test/fixtures, derived by
// scripts/extract-openapi-structure.ts). Optional fields absent, never `null` where the reference's
// type is not nullable; required fields present.
import fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { routes } from '../../src/rest/routes/index.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, type Reply } from '../helpers/http.ts';
import { SamlTestIdp } from '../helpers/saml-idp.ts';
import { seedSsoAuthentication } from '../sso/sso-seed.ts';

const fixture = JSON.parse(fs.readFileSync(new URL('../fixtures/slashid-openapi.structure.json', import.meta.url), 'utf8'));
type Responses = Record<string, unknown> | undefined;
const refResponses = (method: string, path: string): Responses => fixture.paths[path]?.[method.toLowerCase()]?.responses;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// OpenAPI 3.0's `nullable` is understood by ajv itself; `int64` is the reference's integer format.
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
ajv.addSchema({ components: fixture.components }, 'ref');
const validatorFor = (schema: unknown) => ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"ref#/components/')));

const slashidRoutes = routes.filter((r) => r.dialect.name === 'slashid');
const key = (method: string, path: string) => `${method} ${path}`;

let server: TestServer;
let acme: TestOrg;
let samlIdp: SamlTestIdp;
/** Every success reply of each operation, by `METHOD /path/{template}`. */
const replies = new Map<string, Reply[]>();
const record = (name: string, reply: Reply) => replies.set(name, [...(replies.get(name) ?? []), reply]);

async function op(method: string, template: string, params: Record<string, string> = {}, init: { json?: unknown; query?: string } = {}) {
  const path = template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
  const r = await call(server.url, method, path + (init.query ? `?${init.query}` : ''), { headers: slashidHeaders(acme), json: init.json });
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${r.text}`);
  record(key(method, template), r);
  return r;
}

beforeAll(async () => {
  server = await startTestServer({ ssoAllowHttpLoopback: true });
  acme = await server.createOrg('Acme');
  samlIdp = await SamlTestIdp.start();
  const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  // Persons, with and without what create may carry.
  await op('POST', '/groups', {}, { json: { name: 'plain' } });
  await op('POST', '/groups', {}, { json: { name: 'described', description: 'has one' } });
  const ada = (await op('POST', '/persons', {}, {
    json: {
      handles: [{ type: 'email_address', value: 'ada@example.com' }], groups: ['plain'],
      attributes: { end_user_read_write: { size: 4 } },
      credentials: [{ type: 'password', params: { password_hash: '$2b$04$abcdefghijklmnopqrstuuUf8b1QZp1bQ5x2Y0yWc1fQdPq7z9dS6' } }],
    },
  })).body.result.person_id;
  const bob = (await op('PUT', '/persons', {}, { json: { handles: [{ type: 'username', value: 'bob' }] } })).body.result.person_id;
  await op('GET', '/persons', {}, { query: 'fields=handles,groups,attributes' });
  await op('GET', '/persons/{person_id}', { person_id: ada }, { query: 'fields=handles,groups,attributes' });
  await op('PATCH', '/persons/{person_id}', { person_id: bob }, { json: { active: true } });
  await op('GET', '/persons/{person_id}/organizations', { person_id: ada });
  await op('POST', '/persons/{person_id}/handles', { person_id: bob }, { json: [{ type: 'phone_number', value: '+14155550100' }] });
  await op('GET', '/persons/{person_id}/handles', { person_id: bob });
  await op('DELETE', '/persons/{person_id}/handles/{handle}', { person_id: bob, handle: 'phone_number:+14155550100' });
  await op('GET', '/persons/bulk-import');
  const form = new FormData();
  form.append('persons', new Blob(['slashid:emails\ncarol@example.com\n'], { type: 'text/csv' }), 'persons.csv');
  const bulk = await fetch(`${server.url}/persons/bulk-import`, { method: 'POST', headers: slashidHeaders(acme), body: form });
  record(key('POST', '/persons/bulk-import'), { status: bulk.status, headers: bulk.headers, body: await bulk.json(), text: '' });

  // Groups.
  await op('POST', '/groups/{group_name}/persons', { group_name: 'described' }, { json: { persons: [ada, bob] } });
  await op('GET', '/groups');
  await op('GET', '/groups/{group_name}', { group_name: 'plain' });
  await op('GET', '/groups/{group_name}', { group_name: 'described' });
  await op('GET', '/groups/{group_name}/persons', { group_name: 'described' });
  await op('GET', '/persons/{person_id}/groups', { person_id: ada });
  await op('PUT', '/persons/{person_id}/groups', { person_id: bob }, { json: { groups: ['plain'] } });
  await op('DELETE', '/groups/{group_name}/persons/{person_id}', { group_name: 'plain', person_id: bob });
  await op('POST', '/groups', {}, { json: { name: 'doomed' } });
  await op('DELETE', '/groups/{group_name}', { group_name: 'doomed' });

  // RBAC, with and without descriptions.
  await op('POST', '/rbac/permissions', {}, { json: { name: 'read' } });
  await op('POST', '/rbac/permissions', {}, { json: { name: 'write', description: 'may write' } });
  await op('POST', '/rbac/roles', {}, { json: { name: 'reader', permissions: ['read'] } });
  await op('GET', '/rbac/permissions');
  await op('GET', '/rbac/roles');
  await op('GET', '/rbac/permissions/{permission_name}', { permission_name: 'read' });
  await op('GET', '/rbac/permissions/{permission_name}', { permission_name: 'write' });
  await op('PATCH', '/rbac/permissions/{permission_name}', { permission_name: 'write' }, { json: { description: 'writes' } });
  await op('GET', '/rbac/roles/{role_name}', { role_name: 'reader' });
  await op('PATCH', '/rbac/roles/{role_name}', { role_name: 'reader' }, { json: { permissions: ['read', 'write'] } });
  await op('PUT', '/persons/{person_id}/roles', { person_id: ada }, { json: { roles: ['reader'] } });
  await op('PUT', '/persons/{person_id}/additional-permissions', { person_id: ada }, { json: { permissions: ['write'] } });
  await op('GET', '/persons/{person_id}/roles', { person_id: ada });
  await op('GET', '/persons/{person_id}/permissions', { person_id: ada });
  await op('GET', '/persons/{person_id}/additional-permissions', { person_id: ada });
  await op('POST', '/rbac/check', {}, { json: { person_id: ada, permission_name: 'read' } });
  await op('PUT', '/persons/{person_id}/roles', { person_id: ada }, { json: { roles: [] } });
  await op('DELETE', '/rbac/roles/{role_name}', { role_name: 'reader' });
  await op('PUT', '/persons/{person_id}/additional-permissions', { person_id: ada }, { json: { permissions: [] } });
  await op('DELETE', '/rbac/permissions/{permission_name}', { permission_name: 'write' });

  // Attributes and consent.
  await op('GET', '/organizations/attribute-buckets');
  await op('PUT', '/persons/{person_id}/attributes', { person_id: bob }, { json: { end_user_read_write: { a: 1 } } });
  await op('PATCH', '/persons/{person_id}/attributes', { person_id: bob }, { json: { end_user_read_write: { b: 2 } } });
  await op('PUT', '/persons/{person_id}/attributes/{bucket_name}', { person_id: bob, bucket_name: 'end_user_read_only' }, { json: { c: 3 } });
  await op('PATCH', '/persons/{person_id}/attributes/{bucket_name}', { person_id: bob, bucket_name: 'end_user_read_only' }, { json: { d: 4 } });
  await op('GET', '/persons/{person_id}/attributes', { person_id: bob });
  await op('GET', '/persons/{person_id}/attributes/{bucket_name}', { person_id: bob, bucket_name: 'end_user_read_only' });
  await op('DELETE', '/persons/{person_id}/attributes/{bucket_name}', { person_id: bob, bucket_name: 'end_user_read_only' });
  await op('POST', '/persons/{person_id}/consent/gdpr', { person_id: bob }, { json: { consent_levels: ['necessary'] } });
  await op('PUT', '/persons/{person_id}/consent/gdpr', { person_id: bob }, { json: { consent_levels: ['analytics'] } });
  await op('GET', '/persons/{person_id}/consent/gdpr', { person_id: bob });
  await op('DELETE', '/persons/{person_id}/consent/gdpr', { person_id: bob }, { query: 'consent_levels=analytics' });

  // Credentials of every type.
  await op('PUT', '/persons/{person_id}/credentials/password', { person_id: bob }, {
    json: { type: 'password', params: { password_hash: '$2b$04$abcdefghijklmnopqrstuuUf8b1QZp1bQ5x2Y0yWc1fQdPq7z9dS6' } },
  });
  await op('POST', '/persons/{person_id}/credentials', { person_id: bob }, {
    json: { type: 'public-key', params: { webauthn_credential_id: 'cred-1', public_key: 'pQECAyYgASFYIA', attestation_type: 'none', authenticator: { aaguid: 'AAAA' } } },
  });
  await op('POST', '/persons/{person_id}/credentials', { person_id: bob }, {
    json: { type: 'totp', params: { key_uri: `otpauth://totp/Acme:bob?secret=${SEED}&issuer=Acme`, recovery_codes_total: 3, unused_recovery_codes: ['a1', 'b2'] } },
  });
  const credentials = await op('GET', '/persons/{person_id}/credentials', { person_id: bob });
  expect(credentials.body.result.map((c: { type: string }) => c.type).sort()).toEqual(['password', 'public-key', 'totp']);
  await op('POST', '/persons/{person_id}/credentials/password-reset', { person_id: bob }, { json: {} });
  await op('POST', '/persons/{person_id}/credentials/password-rotate', { person_id: bob });
  await op('DELETE', '/persons/{person_id}/credentials/{credential_id}', { person_id: bob, credential_id: credentials.body.result[0].id });
  await op('DELETE', '/persons/{person_id}/credentials', { person_id: bob });

  // OAuth clients and tokens.
  const client = (await op('POST', '/oauth2/clients', {}, {
    json: { client_name: 'Minty', scopes: ['openid', 'offline_access'], grant_types: ['authorization_code', 'refresh_token'] },
  })).body.result.client_id;
  await op('GET', '/oauth2/clients');
  await op('GET', '/oauth2/clients/{oauth_client_id}', { oauth_client_id: client });
  await op('PATCH', '/oauth2/clients/{oauth_client_id}', { oauth_client_id: client }, { json: { client_name: 'Mint' } });
  await op('PUT', '/oauth2/clients/{oauth_client_id}/secret', { oauth_client_id: client });
  await op('PUT', '/oauth2/clients/{oauth_client_id}/ui-configuration', { oauth_client_id: client }, { json: { pageTitle: 'Sign in' } });
  await op('GET', '/oauth2/clients/{oauth_client_id}/ui-configuration', { oauth_client_id: client });
  await op('POST', '/oauth2/tokens/mint', {}, { json: { person_id: ada, client_id: client, scopes: ['openid', 'offline_access'] } });
  await op('DELETE', '/oauth2/clients/{oauth_client_id}', { oauth_client_id: client });
  const token = (await op('POST', '/persons/{person_id}/mint-token', { person_id: ada }, { json: {} })).body.result;
  await op('POST', '/persons/{person_id}/direct-id', { person_id: ada }, { json: { duration_secs: 60 } });
  await op('POST', '/token/validate', {}, { json: { token } });
  await op('POST', '/token/revoke', {}, { json: { token } });

  // Webhooks and their triggers.
  const webhook = (await op('POST', '/organizations/webhooks', {}, {
    json: { name: 'hook', target_url: 'https://hooks.example.com/in', custom_headers: { 'X-Key': ['k'] }, timeout: '5s' },
  })).body.result.id;
  await op('POST', '/organizations/webhooks', {}, { json: { name: 'bare', target_url: 'https://hooks.example.com/bare' } });
  await op('GET', '/organizations/webhooks');
  await op('GET', '/organizations/webhooks/{webhook_id}', { webhook_id: webhook });
  await op('PATCH', '/organizations/webhooks/{webhook_id}', { webhook_id: webhook }, { json: { description: 'described' } });
  await op('POST', '/organizations/webhooks/{webhook_id}/triggers', { webhook_id: webhook }, { json: { trigger_type: 'event', trigger_name: 'PersonCreated_v1' } });
  await op('GET', '/organizations/webhooks/{webhook_id}/triggers', { webhook_id: webhook });
  await op('DELETE', '/organizations/webhooks/{webhook_id}/triggers', { webhook_id: webhook }, { query: 'trigger_type=event&trigger_name=PersonCreated_v1' });
  await op('GET', '/organizations/webhooks/verification-jwks');
  await op('POST', '/test-events', {}, { json: [{ event_name: 'PersonCreated_v1' }] });
  await op('DELETE', '/organizations/webhooks/{webhook_id}', { webhook_id: webhook });

  // Organization configuration.
  await op('GET', '/organizations/config');
  await op('PATCH', '/organizations/config', {}, { json: { token_duration: 3600 } });
  await op('DELETE', '/persons/{person_id}', { person_id: bob });

  // Organization attributes.
  await op('PUT', '/organizations/attributes', {}, { json: { end_user_read_only: { plan: 'gold' }, end_user_no_access: { n: 1 } } });
  await op('PATCH', '/organizations/attributes', {}, { json: { end_user_read_only: { seats: 3 } } });
  await op('PUT', '/organizations/attributes/{bucket_name}', { bucket_name: 'end_user_read_write' }, { json: { a: 1, b: 'x' } });
  await op('PATCH', '/organizations/attributes/{bucket_name}', { bucket_name: 'end_user_read_write' }, { json: { c: true } });
  await op('GET', '/organizations/attributes', {}, { query: 'buckets=end_user_read_only,end_user_read_write' });
  await op('GET', '/organizations/attributes/{bucket_name}', { bucket_name: 'end_user_read_write' }, { query: 'attributes=a,c' });
  await op('DELETE', '/organizations/attributes/{bucket_name}', { bucket_name: 'end_user_read_write' }, { query: 'attributes=b' });

  // KYC configuration.
  await op('GET', '/organizations/config/kyc');
  await op('PATCH', '/organizations/config/kyc', {}, { json: { mobile_redirect_base_url: 'https://acme.example/mobile' } });
  await op('GET', '/organizations/config/kyc');

  // Quotas.
  await op('GET', '/organizations/quota/current-tier');
  await op('GET', '/organizations/quota/all-tiers');
  await op('GET', '/organizations/quota/usage');

  // Templates.
  await op('GET', '/organizations/config/templates');
  await op('GET', '/organizations/config/templates/{template_name}', { template_name: 'email_otp_message' });
  await op('PUT', '/organizations/config/templates/{template_name}', { template_name: 'email_otp_message' }, { json: { subject: 'Code', body: '{{otp_code}}' } });
  await op('GET', '/organizations/config/templates/{template_name}', { template_name: 'email_otp_message' });
  await op('GET', '/organizations/config/token-template');
  await op('PUT', '/organizations/config/token-template', {}, { json: { content: '{ "org": "{{ organization.name }}" }' } });
  await op('GET', '/organizations/config/token-template');

  // Allowed domains.
  await op('POST', '/organizations/config/domains', {}, { json: { domains: ['acme.example', '*.acme.example'] } });
  await op('GET', '/organizations/config/domains');
  await op('DELETE', '/organizations/config/domains', {}, { query: 'domain=acme.example' });

  // External credentials.
  const [credential] = (await op('POST', '/organizations/config/external-credentials', {}, {
    json: { extcred_provider: 'google', extcred_type: 'client_credentials', extcred_label: 'G', json_blob: { client_id: 'c', client_secret: 's' } },
  })).body.result;
  await op('POST', '/organizations/config/external-credentials', {}, { json: { extcred_provider: 'generic', extcred_type: 'api_key', json_blob: { api_key: 'k' } } });
  await op('GET', '/organizations/config/external-credentials');
  await op('GET', '/organizations/config/external-credentials/{cred_id}', { cred_id: credential });
  await op('PATCH', '/organizations/config/external-credentials/{cred_id}', { cred_id: credential }, { json: { extcred_label: 'Google' } });
  await op('DELETE', '/organizations/config/external-credentials', {}, { query: `credentialId=${credential}` });

  // SAML provider credentials (the metadata of a samlify IdP on loopback).
  const saml = (await op('POST', '/organizations/sso/saml/provider-credentials', {}, {
    json: { idp_metadata_url: samlIdp.metadataUrl, label: 'Corp', email_claims: ['email'], enable_in_slashid_oidc_authz_server: true },
  })).body.result.id;
  await op('GET', '/organizations/sso/saml/provider-credentials');
  await op('GET', '/organizations/sso/saml/provider-credentials/{saml_provider_credentials_id}', { saml_provider_credentials_id: saml });
  await op('PATCH', '/organizations/sso/saml/provider-credentials/{saml_provider_credentials_id}', { saml_provider_credentials_id: saml }, { json: { label: 'Corp IdP' } });
  await op('DELETE', '/organizations/sso/saml/provider-credentials/{saml_provider_credentials_id}', { saml_provider_credentials_id: saml });
  // SSO with OIDC: provider credentials, and the upstream tokens of an SSO authentication.
  await op('POST', '/organizations/sso/oidc/provider-credentials', {}, {
    json: { client_id: 'g-client', client_secret: 'g-secret', provider: 'google', label: 'Google', options: { google: { authorize_scopes: ['openid'] } } },
  });
  await op('POST', '/organizations/sso/oidc/provider-credentials', {}, { json: { client_id: 'gh-client', client_secret: 's', provider: 'github' } });
  await op('GET', '/organizations/sso/oidc/provider-credentials');
  await op('GET', '/organizations/sso/oidc/provider-credentials/{oauth_client_id}', { oauth_client_id: 'g-client' });
  await op('PATCH', '/organizations/sso/oidc/provider-credentials/{oauth_client_id}', { oauth_client_id: 'g-client' }, { json: { label: 'Google SSO' } });
  const sso = await seedSsoAuthentication(server, acme.id, ada, 'gh-client');
  const tokens = await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': sso.container } });
  expect(tokens.status).toBe(200);
  record(key('GET', '/sso/oidc/tokens'), tokens);
  await op('POST', '/sso/oidc/tokens/query', {}, { json: { person_id: ada, token_types: ['access', 'refresh', 'id'] } });
  await op('POST', '/sso/oidc/tokens/revoke/v2', {}, { json: { person_id: ada, authentication_id: sso.authenticationId, token_types: ['refresh'] } });
  await op('POST', '/sso/oidc/tokens/revoke', {}, { json: { client_id: 'gh-client', token: `upstream-at-${sso.authenticationId}`, token_type: 'access_token' } });
  await op('DELETE', '/organizations/sso/oidc/provider-credentials/{oauth_client_id}', { oauth_client_id: 'g-client' });

  // The organization platform. The key rotation goes last: the calls after it use the new key.
  const sub = (await op('POST', '/organizations/suborganizations', {}, {
    json: { sub_org_name: 'Branch', admins: [{ type: 'email_address', value: 'branch@example.com' }], persons_org_id: acme.id },
  })).body.result;
  await op('GET', '/organizations');
  await op('GET', '/organizations/suborganizations', {}, { query: 'filter=name%20co%20%22bran%22' });
  const removed = await call(server.url, 'DELETE', '/organizations', { headers: slashidHeaders({ id: sub.id, apiKey: sub.api_key, name: 'Branch' }) });
  expect(removed.status).toBe(204);
  record(key('DELETE', '/organizations'), removed);
  acme.apiKey = (await op('PUT', '/organizations/api-keys')).body.result.api_key;
  await op('GET', '/organizations/config');
}, 120_000);
afterAll(async () => { await samlIdp.close(); await server.close(); });

test('every served SlashID operation was called and succeeded', () => {
  const missing = slashidRoutes.map((r) => key(r.method, r.path)).filter((k) => !replies.has(k));
  expect(missing).toEqual([]);
});

// POST /test-events is checked below, by its discriminator.
const withBodies = [...new Set(slashidRoutes.map((r) => key(r.method, r.path)))].filter((name) => name !== 'POST /test-events');
test.each(withBodies)('%s: the success body validates against the reference', (name) => {
  const [method, path] = name.split(' ');
  const schemas = refResponses(method, path);
  for (const reply of replies.get(name) ?? []) {
    const schema = schemas?.[String(reply.status)];
    if (!schema) {
      // The reference declares no JSON body for this status: none is sent (or the content is not JSON).
      expect([200, 201, 202, 204].includes(reply.status)).toBe(true);
      continue;
    }
    const validate = validatorFor(schema);
    expect(validate(reply.body) ? [] : validate.errors).toEqual([]);
  }
});

// The reference's TestEvent is a oneOf chosen by its discriminator `event_name` (alternatives such as
// Test_AuthenticationSucceeded_v1 and Test_PersonCreated_v1 accept the same bodies, and the structure
// fixture keeps no discriminator): each event answered validates against the alternative its name maps to.
test('POST /test-events: each event validates against the alternative its event_name selects', () => {
  const events = (replies.get('POST /test-events') ?? []).flatMap((r) => r.body.result as { event_name: string }[]);
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) {
    const validate = validatorFor({ $ref: `#/components/schemas/Test_${event.event_name}` });
    expect(validate(event) ? [] : validate.errors).toEqual([]);
  }
});
