// The OpenID provider's SlashID paths against the reference document (structure in test/fixtures):
// the token answer and the JWKS validate against its schemas, with its media type; /openapi.json
// lists every mount of the issuer table, the root issuer's under the reference's operation ids; and
// README's operation counts add up to what /openapi.json lists.
import fs from 'node:fs';
import { Ajv } from 'ajv';
import { MOUNTS } from '../../src/oidc/issuers.ts';
import { oidcOperationCount } from '../../src/oidc/openapi-paths.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

const fixture = JSON.parse(fs.readFileSync(new URL('../fixtures/slashid-openapi.structure.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema({ components: fixture.components }, 'ref');
const validatorFor = (schema: unknown) => ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"ref#/components/')));
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

let server: TestServer;
let org: TestOrg;
let doc: any;
let basic: string;

beforeAll(async () => {
  server = await startTestServer();
  org = await server.createOrg('Contract');
  const created = await call(server.url, 'POST', '/oauth2/clients', {
    headers: slashidHeaders(org), json: { client_name: 'contract', scopes: ['read'], grant_types: ['client_credentials'] },
  });
  expect(created.status).toBe(201);
  const { client_id, client_secret } = created.body.result;
  basic = `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`;
  doc = (await call(server.url, 'GET', '/openapi.json')).body;
});
afterAll(() => server.close());

const tokenAt = (path: string, extra: Record<string, string> = {}) => call(server.url, 'POST', path, {
  headers: { authorization: basic }, raw: new URLSearchParams({ grant_type: 'client_credentials', ...extra }).toString(),
  contentType: 'application/x-www-form-urlencoded',
});

test('POST /oauth2/tokens answers token_type "bearer", valid against PostOAuth2TokenResponse', async () => {
  const r = await tokenAt('/oauth2/tokens');
  expect(r.status).toBe(200);
  expect(r.body.token_type).toBe('bearer');
  // The reference's oneOf has no discriminator and its branches overlap (a client_credentials
  // answer matches two), so the grant's own branch is the check.
  expect(JSON.stringify(fixture.components.schemas.PostOAuth2TokenResponse)).toContain('PostOAuth2TokenResponseClientCredentials');
  const validate = validatorFor({ $ref: '#/components/schemas/PostOAuth2TokenResponseClientCredentials' });
  expect(validate(r.body) ? [] : validate.errors).toEqual([]);
});

test('the Keycloak-style and vault token endpoints keep "Bearer"', async () => {
  expect((await tokenAt(`/realms/${org.id}/protocol/openid-connect/token`)).body.token_type).toBe('Bearer');
  expect((await tokenAt('/token', { tenant_id: org.id })).body.token_type).toBe('Bearer');
});

test('GET /.well-known/jwks.json is application/json and valid against JWKS; realm certs stay application/jwk-set+json', async () => {
  const root = await call(server.url, 'GET', '/.well-known/jwks.json');
  expect(root.status).toBe(200);
  expect(root.headers.get('content-type')).toMatch(/^application\/json/);
  const validate = validatorFor(fixture.paths['/.well-known/jwks.json'].get.responses['200']);
  expect(validate(root.body) ? [] : validate.errors).toEqual([]);
  const realm = await call(server.url, 'GET', `/realms/${org.id}/protocol/openid-connect/certs`);
  expect(realm.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
  expect(realm.body).toEqual(root.body);
});

test('/openapi.json lists every OpenID provider mount and method', () => {
  for (const mount of MOUNTS) {
    for (const method of mount.endpoint.methods) expect([mount.path, doc.paths[mount.path]?.[method.toLowerCase()]?.tags]).toEqual([mount.path, ['OpenID Connect']]);
  }
});

test('the root issuer\'s operations carry the reference\'s operation ids', () => {
  const checked: string[] = [];
  for (const [path, methods] of Object.entries(fixture.paths as Record<string, Record<string, { operationId: string }>>)) {
    for (const [method, ref] of Object.entries(methods)) {
      const ours = doc.paths[path]?.[method];
      if (!ours?.tags?.includes('OpenID Connect')) continue;
      expect(`${method} ${path} ${ours.operationId}`).toBe(`${method} ${path} ${ref.operationId}`);
      checked.push(`${method} ${path}`);
    }
  }
  // authorize, tokens, revoke, introspect, userinfo (GET and POST), discovery, JWKS
  expect(checked.length).toBeGreaterThanOrEqual(8);
});

test('operation ids are unique across the document', () => {
  const ids = Object.values(doc.paths as Record<string, Record<string, any>>)
    .flatMap((methods) => Object.entries(methods).filter(([m]) => HTTP_METHODS.includes(m)).map(([, op]) => op.operationId));
  expect(ids.length - new Set(ids).size).toBe(0);
});

test('README\'s operation counts add up to the operations /openapi.json lists', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  const counts = [...readme.matchAll(/^\*\*(.+?)\*\* \((\d+) operations\)$/gm)].map(([, tag, n]) => [tag, Number(n)] as const);
  const byTag: Record<string, number> = {};
  for (const methods of Object.values(doc.paths as Record<string, Record<string, any>>)) {
    for (const [m, op] of Object.entries(methods)) if (HTTP_METHODS.includes(m)) byTag[op.tags[0]] = (byTag[op.tags[0]] ?? 0) + 1;
  }
  expect(Object.fromEntries(counts)).toEqual(byTag);
  expect(byTag['OpenID Connect']).toBe(oidcOperationCount(MOUNTS));
});
