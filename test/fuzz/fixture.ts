// An organization of the fuzzers' own with one of each thing the operations name (a person with
// handles, a group, a role, a permission, an attribute, a credential, OAuth clients, vault users,
// per-user keys, a ZKP user with a session), so generated requests can name real ids and get deep
// into the domain. Built through the public API, as a client would.
import type { TestServer, TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders, type Reply } from '../helpers/http.ts';
import { enableRegistration, login, registerUser } from '../helpers/zkp.ts';
import type { Known } from './arbitraries.ts';

export interface Fixture {
  org: TestOrg;
  /** A per-user key (every scope) of the ZKP user `me`, who has a session; never a fuzz target. */
  userKey: string;
  known: Known;
  requests: number;
}

const SCOPES = ['users:read', 'users:write', 'tenants:read', 'tenants:write', 'blocks:read', 'blocks:write',
  'api-keys:read', 'api-keys:write', 'sessions:read', 'sessions:write', 'profile:write'];

// A bcrypt PHC string (cost 4) of "correct horse"; only its shape matters here.
const BCRYPT = '$2b$04$2a3N5b9Pq7pQ0G4bUo0oVOv7p1r3W7W2xw9GQ3G9K8l3wYcV1dS9m';

export async function buildFixture(server: TestServer, name: string): Promise<Fixture> {
  const org = await server.createOrg(name);
  let requests = 0;
  const sid = { headers: slashidHeaders(org) };
  const vault = { headers: vaultHeaders(org) };
  const ok = async (what: string, reply: Promise<Reply>) => {
    const r = await reply;
    requests++;
    if (r.status >= 300) throw new Error(`Fixture step "${what}" answered ${r.status}: ${r.text.slice(0, 300)}`);
    return r.body;
  };
  const u = server.url;
  const appId = `fuzz-app-${org.id.slice(-12)}`; // client ids are global, not per organization

  const person = (await ok('person', call(u, 'POST', '/persons', { ...sid, json: {
    handles: [{ type: 'email_address', value: 'pat@example.com' }, { type: 'username', value: 'pat' }, { type: 'phone_number', value: '+13475043201' }],
    region: 'us-iowa',
  } }))).result.person_id as string;
  await ok('group', call(u, 'POST', '/groups', { ...sid, json: { name: 'fuzz-group', description: 'fuzz' } }));
  await ok('member', call(u, 'POST', '/groups/fuzz-group/persons', { ...sid, json: { persons: [person] } }));
  await ok('permission', call(u, 'POST', '/rbac/permissions', { ...sid, json: { name: 'fuzz.read' } }));
  await ok('role', call(u, 'POST', '/rbac/roles', { ...sid, json: { name: 'fuzz-role', permissions: ['fuzz.read'] } }));
  await ok('person role', call(u, 'PUT', `/persons/${person}/roles`, { ...sid, json: { roles: ['fuzz-role'] } }));
  await ok('attribute', call(u, 'PUT', `/persons/${person}/attributes/end_user_read_write`, { ...sid, json: { color: 'blue' } }));
  await ok('consent', call(u, 'PUT', `/persons/${person}/consent/gdpr`, { ...sid, json: { consent_levels: ['necessary'] } }));
  await ok('password', call(u, 'PUT', `/persons/${person}/credentials/password`, { ...sid, json: { type: 'password', params: { password_hash: BCRYPT } } }));
  const credentials = (await ok('credentials', call(u, 'GET', `/persons/${person}/credentials`, sid))).result as { id: string }[];
  const oauthClient = (await ok('oauth2 client', call(u, 'POST', '/oauth2/clients', { ...sid, json: {
    client_name: 'Fuzz', scopes: ['openid', 'email'], grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    redirect_uris: ['https://app.example/cb'],
  } }))).result.client_id as string;
  const token = (await ok('user token', call(u, 'POST', `/persons/${person}/mint-token`, { ...sid, json: {} }))).result as string;

  await ok('vault client', call(u, 'POST', '/clients', { ...vault, json: {
    client_id: appId, name: 'Fuzz app', tenant_id: org.id, redirect_uris: ['https://app.example/cb'],
  } }));
  const user = (await ok('vault user', call(u, 'POST', `/tenants/${org.id}/users`, { ...vault, json: { username: 'vic', email: 'vic@example.com' } }))).user_id as string;
  const targetKey = (await ok('target key', call(u, 'POST', '/api-keys', { ...vault, json: {
    name: 'target', scopes: ['users:read'], tenant_id: org.id, user_id: user,
  } }))).key_id as string;

  // The caller of /user/me/*: a ZKP user with a session, acting through a key of its own.
  await enableRegistration(u, org, org.id);
  const keys = await registerUser(u, org.id, 'me', 'me secret');
  const loggedIn = await login(u, org.id, keys);
  requests += 5;
  if (loggedIn.status !== 200) throw new Error(`Fixture login answered ${loggedIn.status}: ${loggedIn.text.slice(0, 300)}`);
  const me = (await ok('me', call(u, 'GET', `/tenants/${org.id}/users/by-username/me`, vault))).user_id as string;
  const userKey = (await ok('user key', call(u, 'POST', '/api-keys', { ...vault, json: {
    name: 'me', scopes: SCOPES, tenant_id: org.id, user_id: me,
  } }))).api_key as string;
  const sessions = (await ok('sessions', call(u, 'GET', '/user/me/sessions', { headers: { 'X-API-Key': userKey } }))).sessions as { session_id: string }[];

  const persons = [person, user];
  const known: Known = {
    person_id: persons, user_id: [user, person], persons, ids: persons, personId: persons, personIds: persons, userId: [user],
    id: [...persons, org.id, targetKey, ...sessions.map((s) => s.session_id)],
    // GraphQL argument and input field names.
    value: ['pat', 'pat@example.com', '+13475043201'], region: ['us-iowa', 'europe-belgium'],
    scim: ['userName eq "pat"', 'active eq true', 'groups co "fuzz"', 'attributes.end_user_read_write.color eq "blue"'],
    grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'], scopes: ['openid', 'email', 'users:read'],
    redirectUris: ['https://app.example/cb'], postLogoutRedirectUris: ['https://app.example/bye'], passwordHash: [BCRYPT],
    // Whole GraphQL input values that pass the domain's rules, by input type name.
    HandleInput: [{ type: 'username', value: 'newbie' }, { type: 'email_address', value: 'new@example.com' }],
    CreatePersonInput: [{ handles: [{ type: 'username', value: 'gq-new' }] }, { handles: [{ type: 'email_address', value: 'gq@example.com' }], region: 'us-iowa', groups: ['fuzz-group'] }],
    OAuthClientInput: [{ name: 'App', grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid'], redirectUris: ['https://app.example/cb'] }],
    OrganizationConfigInput: [{ tokenDuration: 3600, groupsClaimName: 'grp' }],
    CreateTenantInput: [{ tenantId: 'gq-tenant', name: 'GQ tenant' }],
    group_name: ['fuzz-group'], groups: ['fuzz-group'], group: ['fuzz-group'],
    permission_name: ['fuzz.read'], permissions: ['fuzz.read'], permission: ['fuzz.read'],
    role_name: ['fuzz-role', `${org.id}/fuzz-role`], roles: ['fuzz-role'],
    name: ['fuzz-group', 'fuzz.read', 'fuzz-role'],
    oauth_client_id: [oauthClient], client_id: [oauthClient, appId], clientId: [oauthClient, appId],
    tenant_id: [org.id], tenantId: [org.id], key_id: [targetKey], session_id: sessions.map((s) => s.session_id),
    credential_id: credentials.map((c) => c.id), username: ['vic', 'pat', 'me'], email: ['vic@example.com', 'pat@example.com'],
    handle: ['email_address:pat@example.com', 'username:pat', 'phone_number:+13475043201'],
    bucket_name: ['end_user_read_write', 'end_user_no_access', 'person_pool-end_user_read_write'],
    bucket: ['end_user_read_write', 'end_user_read_only'], buckets: ['end_user_read_write'],
    ip: ['127.0.0.1', '::1', '10.0.0.1'], token: [token],
    handles: [[{ type: 'username', value: 'newbie' }], [{ type: 'email_address', value: 'new@example.com' }, { type: 'phone_number', value: '+13475043299' }]],
    password_hash: [BCRYPT],
    // A whole JSON body that is an array (POST /persons/{person_id}/handles).
    body: [[{ type: 'username', value: 'another' }]],
  };
  return { org, userKey, known, requests };
}
