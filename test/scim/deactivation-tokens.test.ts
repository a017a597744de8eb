// Deactivating a user through SCIM revokes every token it holds, also tokens minted outside any
// session (no `sid`, so ending sessions alone would leave them live): introspection says inactive
// and the refresh grant fails, through PATCH (Okta's form) and through a /Bulk operation alike.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';
import { USER, patch, scimClient, type Scim } from './helpers.ts';

let server: TestServer;
let acme: TestOrg;
let scim: Scim;
let client: { client_id: string; client_secret: string };

const org = () => ({ headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': acme.apiKey } });
const form = (fields: Record<string, string>) => ({
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ ...fields, client_id: client.client_id, client_secret: client.client_secret }),
});

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  scim = scimClient(server, acme.id, acme.apiKey); // a root organization's tenant id is its id
  const created = await call(server.url, 'POST', '/oauth2/clients', {
    ...org(), json: { client_name: 'App', scopes: ['openid', 'read'], grant_types: ['authorization_code', 'refresh_token'] },
  });
  client = created.body.result;
});
afterAll(() => server.close());

/** Access and refresh tokens minted for the person: no session, so no sid. */
async function mint(personId: string) {
  const r = await call(server.url, 'POST', '/oauth2/tokens/mint', {
    ...org(), json: { person_id: personId, client_id: client.client_id, scopes: ['openid', 'offline_access', 'read'] },
  });
  expect(r.status).toBe(200);
  return r.body.result as { access_token: string; refresh_token: string };
}

const active = async (token: string) => ((await (await fetch(`${server.url}/oauth2/tokens/introspect`, form({ token }))).json()) as { active: boolean }).active;
const refresh = async (token: string) => (await fetch(`${server.url}/oauth2/tokens`, form({ grant_type: 'refresh_token', refresh_token: token }))).status;
const liveTokens = async (personId: string) =>
  (await server.sql('select count(*)::int as n, count(sid)::int as with_sid from oauth_token where person_id = $1 and revoked_at is null', [personId]))[0];

test('active:false through PATCH revokes tokens that belong to no session', async () => {
  const id = (await scim('POST', '/Users', { schemas: [USER], userName: 'token-holder' })).body.id;
  const tokens = await mint(id);
  expect(await active(tokens.access_token)).toBe(true);
  expect(await liveTokens(id)).toEqual({ n: 2, with_sid: 0 });

  const off = await scim('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: false } }));
  expect(off.body.active).toBe(false);
  expect(await liveTokens(id)).toEqual({ n: 0, with_sid: 0 });
  expect(await active(tokens.access_token)).toBe(false);
  expect(await refresh(tokens.refresh_token)).toBe(400);

  // Reactivated, the old tokens stay revoked; tokens minted now work.
  await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'True' }));
  expect(await active(tokens.access_token)).toBe(false);
  expect(await active((await mint(id)).access_token)).toBe(true);
});

test('a /Bulk operation deactivating a user revokes the same way; another user keeps its tokens', async () => {
  const [a, b] = await Promise.all(['bulk-holder-a', 'bulk-holder-b'].map(async (userName) =>
    (await scim('POST', '/Users', { schemas: [USER], userName })).body.id));
  const [ta, tb] = [await mint(a), await mint(b)];
  const r = await scim('POST', '/Bulk', {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: [{ method: 'PATCH', path: `/Users/${a}`, data: patch({ op: 'replace', path: 'active', value: false }) }],
  });
  expect(r.body.Operations[0].status).toBe('200');
  expect(await active(ta.access_token)).toBe(false);
  expect(await refresh(ta.refresh_token)).toBe(400);
  expect(await active(tb.access_token)).toBe(true);
});
