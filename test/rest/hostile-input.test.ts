// Inputs a fuzzer and hand probes once turned into 500s: integers past int32, NUL characters and
// unpaired surrogates, JSON nested thousands deep. Each face answers a 4xx in its own shape, and
// nothing is written.
import net from 'node:net';
import { routes } from '../../src/rest/routes/index.ts';
import { withInt32Bounds, INT32_MAX, INT32_MIN } from '../../src/rest/int32.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders, type Reply } from '../helpers/http.ts';

let server: TestServer;
let org: TestOrg;
let personId: string;
let clientId: string;

const nested = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const gql = (query: string, variables?: unknown) =>
  call(server.url, 'POST', '/graphql', { headers: slashidHeaders(org), json: { query, variables } });

/** Row counts of every table these requests could write to. */
async function counts() {
  const [row] = await server.sql(`select
    (select count(*) from person) persons, (select count(*) from handle) handles,
    (select count(*) from person_attribute) attributes, (select count(*) from access_group) groups,
    (select count(*) from group_member) members, (select count(*) from organization) organizations,
    (select count(*) from oauth_client) clients, (select md5(coalesce(string_agg(ui_configuration::text, ','), '')) from oauth_client) ui,
    (select md5(config::text) from organization where id = $1) config`, [org.id]);
  return row;
}

function expectSlashIdError(r: Reply, status: number, message: RegExp) {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: { errors: [{ httpcode: status, message: expect.stringMatching(message) }] } });
}

function expectVaultIssue(r: Reply, loc: (string | number)[], msg: RegExp) {
  expect(r.status).toBe(422);
  expect(r.body).toEqual({ detail: [{ loc, msg: expect.stringMatching(msg), type: expect.any(String) }] });
}

function expectGraphQLRefusal(r: Reply, message: RegExp) {
  expect(r.status).toBe(400);
  expect(r.body.errors[0].message).toMatch(message);
  expect(r.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  expect(r.body.data ?? null).toBeNull();
}

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  org = await server.createOrg('Hostile');
  const person = await call(server.url, 'POST', '/persons', { headers: slashidHeaders(org), json: { handles: [{ type: 'username', value: 'target' }] } });
  personId = person.body.result.person_id;
  const client = await call(server.url, 'POST', '/oauth2/clients', {
    headers: slashidHeaders(org), json: { client_name: 'web', scopes: ['openid'], grant_types: ['authorization_code'], redirect_uris: ['https://app.example/cb'] },
  });
  clientId = client.body.result.client_id;
  expect(clientId).toEqual(expect.any(String));
  expect((await call(server.url, 'POST', '/groups', { headers: slashidHeaders(org), json: { name: 'staff' } })).status).toBe(201);
});
afterAll(() => server.close());

describe('integers past 2^31-1', () => {
  test('GET /persons?offset=2147483648 is a SlashID 400; 2147483647 is still fine', async () => {
    expectSlashIdError(await call(server.url, 'GET', '/persons?limit=10&offset=2147483648', { headers: slashidHeaders(org) }),
      400, /^query\.offset: Input should be less than or equal to 2147483647$/);
    const max = await call(server.url, 'GET', '/persons?limit=10&offset=2147483647', { headers: slashidHeaders(org) });
    expect(max.status).toBe(200);
    expect(max.body.result).toEqual([]);
  });

  test('GET /clients?skip=70368744177665 is a vault 422 naming skip', async () => {
    const r = await call(server.url, 'GET', `/clients?tenant_id=${org.id}&skip=70368744177665`, { headers: vaultHeaders(org) });
    expectVaultIssue(r, ['query', 'skip'], /less than or equal to 2147483647/);
  });

  test('GET /tenants/{id}/users?offset=99999999999 is a vault 422', async () => {
    const r = await call(server.url, 'GET', `/tenants/${org.id}/users?offset=99999999999`, { headers: vaultHeaders(org) });
    expectVaultIssue(r, ['query', 'offset'], /less than or equal to 2147483647/);
  });

  test('a body integer declared without bounds gets the int32 ones', async () => {
    const r = await call(server.url, 'POST', '/auth/authenticate', {
      json: { username: 'target', cipherKey: 'x', challenge_id: 'x', challenge_data: 'x', ber: { ber: { count_bits: 2 ** 40 } } },
    });
    expect(r.status).toBe(422);
    expect(r.body.detail).toContainEqual({ loc: ['body', 'ber', 'ber', 'count_bits'], msg: 'Input should be less than or equal to 2147483647', type: 'less_than_equal' });
  });

  test('every integer a declaration accepts is bounded to int32', () => {
    const unbounded: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      const s = node as Record<string, any>;
      if (s.type === 'integer') {
        const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : Infinity);
        const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -Infinity);
        if (max > INT32_MAX || min < INT32_MIN) unbounded.push(where);
      }
      for (const [k, v] of Object.entries(s)) if (k !== 'enum' && k !== 'default') visit(v, `${where}.${k}`);
    };
    for (const route of routes) {
      for (const p of route.parameters ?? []) visit(withInt32Bounds(p.schema), `${route.operationId} ${p.in}.${p.name}`);
      if (route.body && route.body.kind !== 'multipart') visit(withInt32Bounds(route.body.schema), `${route.operationId} body`);
    }
    expect(unbounded).toEqual([]);
  });

  test('/graphql refuses a non-int32 Int as a 400, literal or variable', async () => {
    const literal = await gql('{ persons(first: 3000000000) { totalCount } }');
    expect(literal.status).toBe(400);
    expect(literal.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variable = await gql('query($n: Int) { persons(first: $n) { totalCount } }', { n: 3000000000 });
    expect(variable.status).toBe(400);
    expect(variable.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('NUL characters and unpaired surrogates', () => {
  test('REST path, query and JSON bodies: a 4xx naming the field, in each dialect, nothing written', async () => {
    const before = await counts();
    const s = slashidHeaders(org);
    const v = vaultHeaders(org);
    expectSlashIdError(await call(server.url, 'GET', '/groups/a%00b', { headers: s }), 400, /^path\.group_name: String should not contain the NUL character/);
    expectSlashIdError(await call(server.url, 'POST', '/groups/staff/persons', { headers: s, json: { persons: [`${personId}\u0000`] } }),
      400, /^body\.persons\.0: String should not contain the NUL/);
    expectVaultIssue(await call(server.url, 'GET', '/auth/client?client_id=x&tenant_id=a%00b'), ['query', 'tenant_id'], /NUL character/);
    expectVaultIssue(await call(server.url, 'GET', `/api-keys?tenant_id=${org.id}%00`, { headers: v }), ['query', 'tenant_id'], /NUL character/);
    expectVaultIssue(await call(server.url, 'GET', '/clients?tenant_id=a%00b', { headers: v }), ['query', 'tenant_id'], /NUL character/);
    expectVaultIssue(await call(server.url, 'POST', '/clients', { headers: v, json: { tenant_id: org.id, client_id: 'c\u0000', client_name: 'x' } }),
      ['body', 'client_id'], /NUL character/);
    expectVaultIssue(await call(server.url, 'POST', '/tenants', { headers: v, json: { tenant_id: 'a\u0000b' } }), ['body', 'tenant_id'], /NUL character/);
    expectSlashIdError(await call(server.url, 'POST', '/persons', { headers: s, json: { handles: [{ type: 'email_address', value: 'a\u0000@x.io' }] } }),
      400, /^body\.handles\.0\.value: String should not contain the NUL/);
    expectSlashIdError(await call(server.url, 'PUT', `/persons/${personId}/attributes`, { headers: s, json: { end_user_read_write: { note: 'a\u0000b' } } }),
      400, /^body\.end_user_read_write\.note: String should not contain the NUL/);
    // A key is named with the character replaced, so the message itself carries no NUL.
    expectSlashIdError(await call(server.url, 'PUT', `/persons/${personId}/attributes`, { headers: s, raw: '{"end_user_read_write":{"k\\u0000":1}}' }),
      400, /^body\.end_user_read_write\.k\uFFFD: Key: String should not contain the NUL/);
    expectSlashIdError(await call(server.url, 'PUT', `/persons/${personId}/attributes`, { headers: s, raw: '{"end_user_read_write":{"k":"\\ud800"}}' }),
      400, /^body\.end_user_read_write\.k: String should not contain an unpaired UTF-16 surrogate/);
    expectSlashIdError(await call(server.url, 'PUT', `/oauth2/clients/${clientId}/ui-configuration`, { headers: s, json: { title: 'x\u0000' } }),
      400, /^body\.title: String should not contain the NUL/);
    expectSlashIdError(await call(server.url, 'PATCH', '/organizations/config', { headers: s, json: { authn_redirect_page_ui_config: { a: '\udc00' } } }),
      400, /^body\.authn_redirect_page_ui_config\.a: String should not contain an unpaired/);
    expectSlashIdError(await call(server.url, 'PATCH', '/organizations/config', { headers: s, json: { new_person_handle_patterns: ['a\u0000'] } }),
      400, /^body\.new_person_handle_patterns\.0: String should not contain the NUL/);
    expect(await counts()).toEqual(before);
    // A well-formed pair is a character like any other.
    expect((await call(server.url, 'PUT', `/persons/${personId}/attributes`, { headers: s, json: { end_user_read_write: { emoji: '\ud83d\ude00' } } })).status).toBe(204);
  });

  test('a NUL in a header never reaches the server (Node answers 400 itself)', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1', () => {
        socket.end(`GET /groups HTTP/1.1\r\nHost: x\r\nSlashID-OrgID: ${org.id}\r\nSlashID-API-Key: a\u0000b\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (chunk) => { data += chunk; });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  });

  test('/graphql: variables and literals, in addGroupMembers, addHandles, createTenant, createPerson', async () => {
    const before = await counts();
    const cases: [string, Record<string, unknown> | undefined, RegExp][] = [
      ['mutation($g: String!, $p: [ID!]!) { addGroupMembers(group: $g, personIds: $p) { name } }', { g: 'staff\u0000', p: [personId] }, /^variables\.g: .*NUL/],
      ['mutation($g: String!, $p: [ID!]!) { addGroupMembers(group: $g, personIds: $p) { name } }', { g: 'staff', p: [`${personId}\u0000`] }, /^variables\.p\.0: .*NUL/],
      [`mutation { addGroupMembers(group: "staff\\u0000", personIds: ["${personId}"]) { name } }`, undefined, /^query: .*NUL.*line 1, column 35/],
      [`mutation($h: [HandleInput!]!) { addHandles(personId: "${personId}", handles: $h) { id } }`, { h: [{ type: 'email_address', value: 'x\u0000@y.io' }] }, /^variables\.h\.0\.value: .*NUL/],
      ['mutation($t: String!) { createTenant(input: { tenantId: $t }) { id } }', { t: 'ten\u0000ant' }, /^variables\.t: .*NUL/],
      ['mutation($n: String) { createTenant(input: { tenantId: "t", name: $n }) { id } }', { n: 'x\ud800' }, /^variables\.n: .*unpaired UTF-16 surrogate/],
      ['mutation { createTenant(input: { tenantId: "t", name: "\\u0000" }) { id } }', undefined, /^query: .*NUL/],
      ['mutation($h: [HandleInput!]!) { createPerson(input: { handles: $h }) { id } }', { h: [{ type: 'username', value: 'u\u0000' }] }, /^variables\.h\.0\.value: .*NUL/],
      [`mutation($a: JSON!) { writePersonAttributes(personId: "${personId}", attributes: $a, merge: true) { id } }`, { a: { end_user_read_write: { 'k\u0000': 1 } } }, /^variables\.a\.end_user_read_write\.k\uFFFD: Key: .*NUL/],
    ];
    for (const [query, variables, message] of cases) {
      const r = await gql(query, variables);
      expectGraphQLRefusal(r, message);
      expect(r.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    }
    // The GraphQL lexer itself refuses an unpaired surrogate in a literal (a syntax error, 400).
    const surrogate = await gql('mutation { createTenant(input: { tenantId: "t", name: "\\ud800" }) { id } }');
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(await counts()).toEqual(before);
  });

  test('OIDC endpoints: path, query and form parameters get invalid_request', async () => {
    const form = { contentType: 'application/x-www-form-urlencoded' };
    const requests: [string, string, string | undefined, RegExp][] = [
      ['GET', '/realms/a%00b/.well-known/openid-configuration', undefined, /path/],
      ['GET', `/realms/${org.id}/protocol/openid-connect/auth?client_id=a%00b&response_type=code`, undefined, /query parameter "client_id"/],
      ['GET', '/oauth2/authorize?client_id=x&redirect_uri=https%3A%2F%2Fa%00', undefined, /query parameter "redirect_uri"/],
      ['POST', `/realms/${org.id}/protocol/openid-connect/token`, 'grant_type=client_credentials&client_id=a%00b&client_secret=x', /form parameter "client_id"/],
      ['POST', '/token', 'grant_type=password&username=a%00b&password=x&tenant_id=t', /form parameter "username"/],
      ['POST', '/a%00b/token', 'grant_type=client_credentials', /path/],
    ];
    for (const [method, path, raw, description] of requests) {
      const r = await call(server.url, method, path, raw === undefined ? {} : { raw, ...form });
      expect({ path, status: r.status, error: r.body.error }).toEqual({ path, status: 400, error: 'invalid_request' });
      expect(r.body.error_description).toMatch(description);
      expect(r.body.error_description).toMatch(/NUL character \(U\+0000\)/);
    }
  });

  test('the bulk import fails such a row with the column named, and imports the others', async () => {
    const before = await counts();
    const csv = 'slashid:emails,slashid:usernames,slashid:attributes\n'
      + 'nul\u0000@example.com,,\n'
      + `,deep,"${nested(100).replace(/"/g, '""')}"\n`
      + ',fine,\n';
    const form = new FormData();
    form.append('persons', new Blob([csv], { type: 'text/csv' }), 'persons.csv');
    const response = await fetch(`${server.url}/persons/bulk-import`, { method: 'POST', headers: slashidHeaders(org), body: form });
    const body = await response.json() as any;
    expect(response.status).toBe(200);
    expect(body.result).toMatchObject({ successful_imports: 1, failed_imports: 2 });
    expect(body.result.failed_csv).toContain('slashid:emails: String should not contain the NUL character (U+0000)');
    expect(body.result.failed_csv).toContain('JSON should be nested at most 64 levels deep');
    expect((await counts()).persons).toBe(String(Number(before.persons) + 1));
  });
});

describe('JSON nested too deep', () => {
  test('attributes nested 10,000 deep: a SlashID 400 naming where, nothing written', async () => {
    const before = await counts();
    const r = await call(server.url, 'PUT', `/persons/${personId}/attributes`, {
      headers: slashidHeaders(org), raw: `{"end_user_read_write":${nested(10_000)}}`,
    });
    expectSlashIdError(r, 400, /^body\.end_user_read_write\.a\.a\.a\.a\.a\.a\.a\.…: JSON should be nested at most 64 levels deep$/);
    expect(await counts()).toEqual(before);
  });

  test('64 levels are accepted, 65 are not', async () => {
    // The body is level 1, the bucket map level 2: 62 more objects make 64.
    const at = (levels: number) => call(server.url, 'PUT', `/persons/${personId}/attributes`, {
      headers: slashidHeaders(org), raw: `{"end_user_read_write":{"deep":${nested(levels - 2)}}}`,
    });
    expect((await at(64)).status).toBe(204);
    expect((await at(65)).status).toBe(400);
  });

  test('a deep vault body is a 422 too', async () => {
    const r = await call(server.url, 'POST', '/clients', { headers: vaultHeaders(org), raw: `{"tenant_id":"x","logo_uri":${nested(5000)}}` });
    expectVaultIssue(r, ['body', 'logo_uri', 'a', 'a', 'a', 'a', 'a', 'a', 'a', '…'], /nested at most 64 levels/);
  });

  test('/graphql variables nested 100,000 deep: 400, not INTERNAL_SERVER_ERROR, nothing written', async () => {
    const before = await counts();
    const query = `mutation($a: JSON!) { writePersonAttributes(personId: "${personId}", attributes: $a, merge: true) { id } }`;
    const raw = `{"query":${JSON.stringify(query)},"variables":{"a":{"end_user_read_write":${nested(100_000)}}}}`;
    const r = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(org), raw });
    expectGraphQLRefusal(r, /^variables\.a\.end_user_read_write\.a\.a\.a\.a\.a\.a\.…: JSON should be nested at most 64 levels deep$/);
    const ui = `mutation($c: JSONObject!) { setOAuthClientUiConfiguration(clientId: "${clientId}", configuration: $c) { id } }`;
    expectGraphQLRefusal(await call(server.url, 'POST', '/graphql', {
      headers: slashidHeaders(org), raw: `{"query":${JSON.stringify(ui)},"variables":{"c":${nested(1000)}}}`,
    }), /nested at most 64 levels deep/);
    expect(await counts()).toEqual(before);
  });

  test('a JSON literal in the document past the limit is refused by the scalar', async () => {
    const literal = '{a:'.repeat(70) + '1' + '}'.repeat(70);
    const r = await gql(`mutation { writePersonAttributes(personId: "${personId}", attributes: ${literal}, merge: true) { id } }`);
    expectGraphQLRefusal(r, /JSON should be nested at most 64 levels deep/);
  });
});
