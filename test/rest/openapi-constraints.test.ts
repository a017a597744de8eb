// What /openapi.json documents is what the server enforces: the document's bounds, enums and
// patterns are probed at their edges against the running server, and answers are checked
// against the documented response schemas (nullable members included).
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let server: TestServer;
let acme: TestOrg;
let doc: any;
const as = (org: TestOrg) => ({ headers: vaultHeaders(org) });
const sid = (org: TestOrg) => ({ headers: slashidHeaders(org) });

const bodySchema = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema;
/** A check of an answer against the documented schema (ajv reads OpenAPI 3.0's `nullable`). */
function responseCheck(path: string, method: string, status: string) {
  const schema = doc.paths[path][method].responses[status].content['application/json'].schema;
  const check = addFormats(new Ajv({ strict: false, allErrors: true })).compile(schema);
  return (body: unknown) => { check(body); return check.errors ?? []; };
}

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  doc = (await call(server.url, 'GET', '/openapi.json')).body;
});
afterAll(() => server.close());

describe('tenant settings: the documented ranges are the enforced ones', () => {
  const put = (json: Record<string, unknown>) =>
    call(server.url, 'PUT', `/tenants/${acme.id}`, { ...as(acme), json: { display_name: 'Acme', ...json } });
  const ranged = (properties: Record<string, any>) =>
    Object.entries(properties).filter(([, p]) => p.type === 'integer') as [string, { minimum: number; maximum: number }][];

  test('pin_size is 4–12 and patter_size 3–9, as the domain keeps them', () => {
    const settings = bodySchema('/tenants/{tenant_id}', 'put').properties;
    expect(settings.pin_size).toMatchObject({ minimum: 4, maximum: 12 });
    expect(settings.patter_size).toMatchObject({ minimum: 3, maximum: 9 });
  });

  test('each top-level and block_config bound is accepted, one past it refused', async () => {
    const settings = bodySchema('/tenants/{tenant_id}', 'put').properties;
    const probes: [Record<string, unknown>, number][] = [];
    for (const [name, p] of ranged(settings)) {
      probes.push([{ [name]: p.minimum }, 200], [{ [name]: p.maximum }, 200], [{ [name]: p.minimum - 1 }, 422], [{ [name]: p.maximum + 1 }, 422]);
    }
    for (const [name, p] of ranged(settings.block_config.properties)) {
      for (const [value, status] of [[p.minimum, 200], [p.maximum, 200], [p.minimum - 1, 422], [p.maximum + 1, 422]]) {
        probes.push([{ block_config: { [name]: value } }, status]);
      }
    }
    expect(probes.length).toBeGreaterThan(20);
    for (const [json, status] of probes) expect([json, (await put(json)).status]).toEqual([json, status]);
  });

  test('liveness_config bounds: all at their minimum or maximum are accepted, any one past it refused', async () => {
    const fields = ranged(bodySchema('/tenants/{tenant_id}', 'put').properties.liveness_config.properties);
    const at = (pick: (p: { minimum: number; maximum: number }) => number) => Object.fromEntries(fields.map(([n, p]) => [n, pick(p)]));
    expect((await put({ liveness_config: at((p) => p.minimum) })).status).toBe(200);
    expect((await put({ liveness_config: at((p) => p.maximum) })).status).toBe(200);
    for (const [name, p] of fields) {
      expect([name, (await put({ liveness_config: { ...at((q) => q.maximum), [name]: p.maximum + 1 } })).status]).toEqual([name, 422]);
      expect([name, (await put({ liveness_config: { ...at((q) => q.minimum), [name]: p.minimum - 1 } })).status]).toEqual([name, 422]);
    }
  });

  test('login_order takes the documented methods, each once', async () => {
    const order = bodySchema('/tenants/{tenant_id}', 'put').properties.login_order;
    expect(order).toMatchObject({ nullable: true, uniqueItems: true, items: { enum: ['PIN', 'PATTERN'] } });
    expect((await put({ login_order: order.items.enum })).status).toBe(200);
    expect((await put({ login_order: ['PIN', 'PIN'] })).status).toBe(422);
  });
});

describe('users and per-user keys', () => {
  let userId: string;
  beforeAll(async () => {
    const r = await call(server.url, 'POST', `/tenants/${acme.id}/users`, { ...as(acme), json: { username: 'ada', email: 'ada@example.com' } });
    expect(r.status).toBe(201);
    userId = r.body.user_id;
  });

  test('a key takes every documented scope, and nothing else', async () => {
    const scopes: string[] = bodySchema('/api-keys', 'post').properties.scopes.items.enum;
    expect(scopes).toEqual(expect.arrayContaining(['users:read', 'profile:write']));
    const json = { name: 'all', tenant_id: acme.id, user_id: userId };
    const created = await call(server.url, 'POST', '/api-keys', { ...as(acme), json: { ...json, scopes } });
    expect(created.status).toBe(201);
    expect(responseCheck('/api-keys', 'post', '201')(created.body)).toEqual([]);
    for (const bad of ['admin', 'users:READ', 'openid']) {
      expect((await call(server.url, 'POST', '/api-keys', { ...as(acme), json: { ...json, scopes: [bad] } })).status).toBe(422);
    }
  });

  test('a blank key name is refused, as documented', async () => {
    expect(bodySchema('/api-keys', 'post').properties.name.pattern).toBe('\\S');
    const r = await call(server.url, 'POST', '/api-keys', { ...as(acme), json: { name: '   ', scopes: [], tenant_id: acme.id, user_id: userId } });
    expect(r.status).toBe(422);
  });

  test('a user without an email handle answers email null, which the document allows', async () => {
    const person = await call(server.url, 'POST', '/persons', { ...sid(acme), json: { handles: [{ type: 'username', value: 'nomail' }] } });
    expect(person.status).toBe(201);
    const r = await call(server.url, 'GET', `/tenants/${acme.id}/users/${person.body.result.person_id}`, as(acme));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ username: 'nomail', email: null });
    expect(responseCheck('/tenants/{tenant_id}/users/{user_id}', 'get', '200')(r.body)).toEqual([]);
    const list = await call(server.url, 'GET', `/tenants/${acme.id}/users`, as(acme));
    expect(responseCheck('/tenants/{tenant_id}/users', 'get', '200')(list.body)).toEqual([]);
  });

  test('a body tenant_id or user_id other than the path is refused, as the document says', async () => {
    const schema = bodySchema('/tenants/{tenant_id}/users/{user_id}', 'put');
    expect(schema.properties.user_id.description).toMatch(/equal the user_id of the path/);
    const json = { user_id: crypto.randomUUID(), username: 'ada', email: 'ada@example.com', tenant_id: acme.id };
    expect((await call(server.url, 'PUT', `/tenants/${acme.id}/users/${userId}`, { ...as(acme), json })).status).toBe(422);
  });
});

describe('names and URIs', () => {
  const probe = async (pattern: string, maxLength: number, names: string[], send: (name: string) => Promise<number>) => {
    const documented = new RegExp(pattern, 'u');
    for (const name of names) {
      const expected = documented.test(name) && name.length <= maxLength ? 'accepted' : 'refused';
      const status = await send(name);
      expect([name, status < 300 ? 'accepted' : status]).toEqual([name, expected === 'accepted' ? 'accepted' : 400]);
    }
  };
  const names = ['ab', 'a', 'ab-', '-ab', 'a.b_c-d', 'a:b', 'a/b', 'a\\b', 'a b', 'é1', 'x'.repeat(100), 'y'.repeat(101)];

  test('group names follow the documented pattern', async () => {
    const schema = bodySchema('/groups', 'post').properties.name;
    await probe(schema.pattern, schema.maxLength, names,
      async (name) => (await call(server.url, 'POST', '/groups', { ...sid(acme), json: { name } })).status);
  });

  test('permission names follow the documented pattern', async () => {
    const schema = bodySchema('/rbac/permissions', 'post').properties.name;
    await probe(schema.pattern, schema.maxLength, [...names, 'p'.repeat(1024), 'q'.repeat(1025)],
      async (name) => (await call(server.url, 'POST', '/rbac/permissions', { ...sid(acme), json: { name } })).status);
  });

  test('role names follow the documented pattern, with the organization prefix', async () => {
    const schema = bodySchema('/rbac/roles', 'post').properties.name;
    await probe(schema.pattern, schema.maxLength, [...names, `${acme.id}/r1`, `${acme.id}/${'r'.repeat(100)}`, `${acme.id}/${'s'.repeat(101)}`, `${acme.id}/`],
      async (name) => (await call(server.url, 'POST', '/rbac/roles', { ...sid(acme), json: { name } })).status);
  });

  test('redirect URIs are documented as URIs and a relative one is refused', async () => {
    const schema = bodySchema('/oauth2/clients', 'post').properties.redirect_uris;
    expect(schema.items.format).toBe('uri');
    const json = { client_name: 'App', scopes: ['openid'], grant_types: ['authorization_code'] };
    expect((await call(server.url, 'POST', '/oauth2/clients', { ...sid(acme), json: { ...json, redirect_uris: ['https://app.example/cb'] } })).status).toBe(201);
    expect((await call(server.url, 'POST', '/oauth2/clients', { ...sid(acme), json: { ...json, redirect_uris: ['/cb'] } })).status).toBe(400);
  });
});
