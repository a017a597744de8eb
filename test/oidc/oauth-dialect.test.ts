// The OAuth dialect on every kind of mount of the issuer table: the root issuer, a tenant's realm
// and a Secrets Vault alias answer an undeclared method, a malformed form and a wrong content type
// in RFC 6749 §5.2 shape (`{error, error_description}`, no-store), and issue nothing meanwhile.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, type Reply } from '../helpers/http.ts';

let server: TestServer;
let org: TestOrg;
let basic: string;
let credentials: { clientId: string; clientSecret: string };

beforeAll(async () => {
  server = await startTestServer();
  org = await server.createOrg('Dialect');
  const created = await call(server.url, 'POST', '/oauth2/clients', {
    headers: slashidHeaders(org), json: { client_name: 'dialect', scopes: ['read'], grant_types: ['client_credentials'] },
  });
  expect(created.status).toBe(201);
  const { client_id, client_secret } = created.body.result;
  basic = `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`;
  credentials = { clientId: client_id, clientSecret: client_secret };
});
afterAll(() => server.close());

/** [where, path, what the form adds]: one token endpoint of each kind of mount. */
const MOUNTS = (): [string, string, Record<string, string>][] => [
  ['root issuer', '/oauth2/tokens', {}],
  ['realm', `/realms/${org.id}/protocol/openid-connect/token`, {}],
  ['Secrets Vault alias', '/token', { tenant_id: org.id }],
];
const each = (run: (path: string, extra: Record<string, string>, where: string) => Promise<void>) => async () => {
  for (const [where, path, extra] of MOUNTS()) await run(path, extra, where);
};

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, raw: string | Buffer, contentType = 'application/x-www-form-urlencoded') =>
  call(server.url, 'POST', path, { headers: { authorization: basic }, raw, contentType });
const tokenRows = async () => Number((await server.sql<{ n: string }>('select count(*) as n from oauth_token'))[0].n);

function expectOAuthError(r: Reply, where: string, status: number, error: string, description?: RegExp) {
  expect({ where, status: r.status, body: r.body }).toEqual({
    where, status, body: { error, error_description: expect.stringMatching(description ?? /./) },
  });
  expect(r.headers.get('cache-control')).toBe('no-store');
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
}

test('a well-formed request succeeds at every mount (so the refusals below are about the request)', each(async (path, extra, where) => {
  const r = await post(path, form({ grant_type: 'client_credentials', ...extra }));
  // SlashID's reference spells it `bearer` at its /oauth2/tokens; the other mounts keep `Bearer`.
  const type = path === '/oauth2/tokens' ? 'bearer' : 'Bearer';
  expect({ where, status: r.status, type: r.body.token_type }).toEqual({ where, status: 200, type });
  expect(r.headers.get('cache-control')).toBe('no-store');
}));

test('an undeclared method is a 405 in the OAuth shape with Allow; OPTIONS lists the methods', each(async (path, _extra, where) => {
  const before = await tokenRows();
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
    const r = await call(server.url, method, path, { headers: { authorization: basic } });
    expectOAuthError(r, `${method} ${where}`, 405, 'invalid_request', new RegExp(`${method} is not allowed .* use POST`));
    expect(r.headers.get('allow')).toBe('POST, OPTIONS');
  }
  const options = await call(server.url, 'OPTIONS', path);
  expect({ where, status: options.status }).toEqual({ where, status: 204 });
  expect(await tokenRows()).toBe(before);
}));

test('a malformed form is invalid_request: repeated, NUL, oversize, a grant_type missing or unknown', each(async (path, extra, where) => {
  const before = await tokenRows();
  const cases: [string, number, string, RegExp][] = [
    [`${form(extra)}&grant_type=client_credentials&grant_type=client_credentials`, 400, 'invalid_request', /grant_type is repeated/],
    [form({ ...extra, grant_type: 'client_credentials', scope: 'a\u0000b' }), 400, 'invalid_request', /form parameter "scope".*NUL/],
    [form({ ...extra, grant_type: 'client_credentials', pad: 'x'.repeat(70_000) }), 400, 'invalid_request', /too large/],
    [form({ ...extra, scope: 'read' }), 400, 'invalid_request', /grant_type is required/],
    [form({ ...extra, grant_type: 'password' }), 400, 'unsupported_grant_type', /grant_type must be/],
    [form({ ...extra, grant_type: 'client_credentials', scope: 'read "quoted"' }), 400, 'invalid_scope', /scope tokens/],
  ];
  for (const [body, status, error, description] of cases) expectOAuthError(await post(path, body), where, status, error, description);
  expect(await tokenRows()).toBe(before);
}));

test('a body that is not application/x-www-form-urlencoded is invalid_request (never 415 or 422)', each(async (path, extra, where) => {
  const before = await tokenRows();
  const fields = { grant_type: 'client_credentials', ...extra };
  const bodies: [string, string][] = [
    [JSON.stringify(fields), 'application/json'],
    [form(fields), 'text/plain'],
    [`--b\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--b--\r\n`, 'multipart/form-data; boundary=b'],
  ];
  for (const [body, type] of bodies) {
    expectOAuthError(await post(path, body, type), `${where} ${type}`, 400, 'invalid_request', /application\/x-www-form-urlencoded/);
  }
  const none = await fetch(server.url + path, { method: 'POST', headers: { authorization: basic } });
  expectOAuthError({ status: none.status, headers: none.headers, body: await none.json(), text: '' }, `${where} no body`, 400, 'invalid_request');
  expect(await tokenRows()).toBe(before);
}));

test('client authentication failures: 401 invalid_client with a Basic challenge, in the same shape everywhere', each(async (path, extra, where) => {
  const wrong = await call(server.url, 'POST', path, {
    headers: { authorization: basic.slice(0, -4) + 'AAAA' }, raw: form({ grant_type: 'client_credentials', ...extra }),
    contentType: 'application/x-www-form-urlencoded',
  });
  expectOAuthError(wrong, where, 401, 'invalid_client');
  expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
  for (const credentials of ['a\u0000b:secret', 'no-colon', '%E0%A4%A:x']) {
    const garbled = await call(server.url, 'POST', path, {
      headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
      raw: form({ grant_type: 'client_credentials', ...extra }), contentType: 'application/x-www-form-urlencoded',
    });
    expectOAuthError(garbled, `${where} ${JSON.stringify(credentials)}`, 401, 'invalid_client');
  }
}));

test('an unknown realm is a 404 in the OAuth shape, before anything else is wrong with the request', async () => {
  const realm = '/realms/no-such-tenant/protocol/openid-connect';
  expectOAuthError(await post(`${realm}/token`, '{}', 'application/json'), 'realm token, JSON', 404, 'invalid_request', /Unknown realm/);
  expectOAuthError(await post(`${realm}/token/introspect`, form({ token: 'x' }), 'application/x-www-form-urlencoded'),
    'realm introspection', 404, 'invalid_request', /Unknown realm/);
  expectOAuthError(await post('/token', form({ grant_type: 'client_credentials', tenant_id: 'no-such-tenant' })),
    'vault alias', 404, 'invalid_request', /Unknown realm/);
  expectOAuthError(await post('/token', form({ grant_type: 'client_credentials' })), 'vault alias without tenant_id', 404, 'invalid_request');
  expectOAuthError(await call(server.url, 'GET', `/realms/${org.id}/protocol/openid-connect/nothing-here`), 'unknown path', 404, 'invalid_request', /No endpoint/);
  expectOAuthError(await call(server.url, 'GET', `/realms/${org.id}/protocol/openid-connect/token/introspect`),
    'introspection GET', 405, 'invalid_request', /use POST/);
});

test('a method the /{tenant_id}/token alias does not declare is left to the other faces', async () => {
  // POST /{tenant_id}/token is the alias; GET /groups/token is a SlashID group named "token".
  const group = await call(server.url, 'GET', '/groups/token', { headers: slashidHeaders(org) });
  expect(group.status).toBe(404);
  expect(group.body.errors?.[0]?.httpcode).toBe(404);
  const alias = await post(`/${org.id}/token`, form({ grant_type: 'client_credentials' }));
  expect(alias.status).toBe(200);
});

test('the endpoints run graph operations: Mutation.oauthToken over /graphql issues the same tokens, with RFC codes', async () => {
  const query = `mutation($client: OAuthClientAuthentication!, $tenantId: String) {
    oauthToken(tenantId: $tenantId, client: $client, input: { grantType: "client_credentials" }) { accessToken tokenType scope }
  }`;
  const ok = await call(server.url, 'POST', '/graphql', { json: { query, variables: { client: credentials, tenantId: org.id } } });
  expect(ok.body.data.oauthToken).toMatchObject({ tokenType: 'Bearer', scope: 'read' });
  const introspected = await post('/oauth2/tokens/introspect', form({ token: ok.body.data.oauthToken.accessToken }));
  expect(introspected.body).toMatchObject({ active: false }); // a realm's token is not the root issuer's
  const refused = await call(server.url, 'POST', '/graphql', {
    json: { query, variables: { client: { ...credentials, clientSecret: 'wrong' } } },
  });
  expect(refused.body.errors[0].extensions.code).toBe('INVALID_CLIENT');
  expect(refused.body.data).toBeNull();
});
