// Allowed origin domains: add, overwrite, remove (case-insensitive, `*` patterns), bad input and
// limits refused without a change, parallel additions all kept; and the CORS answer of the
// tenant's OpenID endpoints follows them while the root issuer's stays open.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

const PATH = '/organizations/config/domains';
let server: TestServer;

beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const list = async (org: TestOrg) => (await call(server.url, 'GET', PATH, as(org))).body.result;
const add = (org: TestOrg, domains: unknown, query = '') => call(server.url, 'POST', `${PATH}${query}`, { ...as(org), json: { domains } });
const remove = (org: TestOrg, query: string) => call(server.url, 'DELETE', `${PATH}${query}`, as(org));

test('add, append without duplicates, overwrite, remove one (any case) or all', async () => {
  const org = await server.createOrg('Domains');
  expect(await list(org)).toEqual([]);
  expect((await add(org, ['XYZ.com', '*.xyz.com'])).status).toBe(204);
  expect(await list(org)).toEqual(['xyz.com', '*.xyz.com']);
  expect((await add(org, ['xyz.COM', 'abc.io'])).status).toBe(204);
  expect(await list(org)).toEqual(['xyz.com', '*.xyz.com', 'abc.io']);
  expect((await add(org, ['only.example'], '?overwrite=true')).status).toBe(204);
  expect(await list(org)).toEqual(['only.example']);
  expect((await add(org, ['a.example', 'b.example'])).status).toBe(204);
  expect((await remove(org, '?domain=ONLY.example')).status).toBe(204);
  expect((await remove(org, '?domain=not.listed')).status).toBe(204);
  expect(await list(org)).toEqual(['a.example', 'b.example']);
  expect((await remove(org, '?deleteAll=true')).status).toBe(204);
  expect(await list(org)).toEqual([]);
});

test('bad input is a 400, past the limit a 402; nothing changes', async () => {
  const org = await server.createOrg('Strict domains');
  await add(org, ['keep.example']);
  for (const bad of [['https://xyz.com'], ['xyz.com:443'], ['xyz.com/path'], [''], ['a b.com'], ['-x.com'], ['x..com'], 'xyz.com', [5], ['x'.repeat(254)]]) {
    const r = await add(org, bad);
    expect([bad, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([bad, 400, 400]);
  }
  expect((await call(server.url, 'POST', PATH, { ...as(org), json: {} })).status).toBe(400);
  expect((await call(server.url, 'POST', PATH, { ...as(org), raw: '{"domains": [' })).status).toBe(400);
  expect((await add(org, Array.from({ length: 101 }, (_, i) => `d${i}.example`))).status).toBe(400);
  expect((await add(org, ['x.example'], '?overwrite=maybe')).status).toBe(400);
  expect((await remove(org, '?domain=keep.example&deleteAll=true')).status).toBe(400);
  expect((await remove(org, '')).status).toBe(400);
  expect((await remove(org, '?deleteAll=false')).status).toBe(400);
  expect(await list(org)).toEqual(['keep.example']);
  expect((await add(org, Array.from({ length: 99 }, (_, i) => `d${i}.example`))).status).toBe(204);
  const over = await add(org, ['one-more.example']);
  expect([over.status, over.body.errors[0].httpcode]).toEqual([402, 402]);
  expect((await list(org)).length).toBe(100);
  // Refused callers.
  expect((await call(server.url, 'POST', PATH, { json: { domains: ['x.example'] } })).status).toBe(401);
  expect((await call(server.url, 'GET', PATH, { headers: { 'SlashID-OrgID': org.id, 'SlashID-API-Key': 'nope' } })).status).toBe(401);
});

test('parallel additions of different domains are all kept', async () => {
  const org = await server.createOrg('Parallel domains');
  const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => add(org, [`p${i}.example`])));
  expect(replies.map((r) => r.status)).toEqual(Array(8).fill(204));
  expect((await list(org)).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `p${i}.example`).sort());
});

test('CORS of the tenant\'s OpenID endpoints follows its allowed domains; the root issuer stays open', async () => {
  const org = await server.createOrg('Cors');
  const token = `/realms/${org.id}/protocol/openid-connect/token`;
  const certs = `/realms/${org.id}/protocol/openid-connect/certs`;
  const origin = async (path: string, from: string, method = 'OPTIONS') => {
    const r = await fetch(server.url + path, { method, headers: { origin: from } });
    await r.arrayBuffer();
    return { allow: r.headers.get('access-control-allow-origin'), vary: r.headers.get('vary') };
  };
  expect((await origin(token, 'https://app.xyz.com')).allow).toBe('*');
  await add(org, ['*.xyz.com', 'Partner.IO']);
  expect(await origin(token, 'https://app.xyz.com')).toEqual({ allow: 'https://app.xyz.com', vary: expect.stringMatching(/origin/i) });
  expect((await origin(token, 'https://A.B.XYZ.COM:8443')).allow).toBe('https://A.B.XYZ.COM:8443');
  expect((await origin(token, 'https://partner.io')).allow).toBe('https://partner.io');
  expect((await origin(certs, 'https://app.xyz.com', 'GET')).allow).toBe('https://app.xyz.com');
  for (const denied of ['https://evil.com', 'https://xyz.com.evil.com', 'https://xyz.com', 'null', 'not a url']) {
    expect([denied, (await origin(token, denied)).allow]).toEqual([denied, null]);
  }
  expect((await origin(certs, 'https://evil.com', 'GET')).allow).toBeNull();
  // The root issuer's client decides the organization only after the request: it answers any origin.
  expect((await origin('/oauth2/tokens', 'https://evil.com')).allow).toBe('*');
  // An unknown realm is still a 404 in the OAuth shape.
  const unknown = await call(server.url, 'GET', '/realms/no-such-tenant/protocol/openid-connect/certs');
  expect(unknown.status).toBe(404);
  await remove(org, '?deleteAll=true');
  expect((await origin(token, 'https://evil.com')).allow).toBe('*');
});

test('the reference\'s pattern forms are accepted: ?, character sets, *', async () => {
  const org = await server.createOrg('Glob domains');
  expect((await add(org, ['a[0-9].my?site.org', '*.xyz.com', 'b[!x].example'])).status).toBe(204);
  expect((await list(org)).sort()).toEqual(['*.xyz.com', 'a[0-9].my?site.org', 'b[!x].example']);
  for (const bad of [['a[.org'], ['a[]b.org'], ['a(b).org']]) expect((await add(org, bad)).status).toBe(400);
});
