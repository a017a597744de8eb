// Shared pools applied (issue 13): an organization sharing another's group pool reads and writes
// the owner's groups (REST, SCIM /Groups, a person's groups, minted tokens); one sharing a person
// pool finds the owner's persons in SCIM /Users, token minting and sign-in. `loner` shares the
// person pool but not the group pool, `outsider` shares nothing: both stay apart.
import crypto from 'node:crypto';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { scimClient, patch, GROUP, USER } from '../scim/helpers.ts';
import { Browser, createPersonWithPassword, hidden, submitLogin } from '../oidc/browser.ts';
import { SoftAuthenticator } from '../helpers/webauthn.ts';
import { enableRegistration } from '../helpers/zkp.ts';

let server: TestServer;
let owner: TestOrg;
let sharer: TestOrg;
let loner: TestOrg;
let outsider: TestOrg;

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const email = (local: string) => ({ type: 'email_address', value: `${local}@example.com` });

async function createSub(parent: TestOrg, name: string, extra: Record<string, unknown> = {}): Promise<TestOrg> {
  const r = await call(server.url, 'POST', '/organizations/suborganizations', {
    ...as(parent), json: { sub_org_name: name, admins: [email(`admin-${name.toLowerCase()}`)], ...extra },
  });
  if (r.status !== 200) throw new Error(`create ${name}: ${r.status} ${r.text}`);
  return { id: r.body.result.id, apiKey: r.body.result.api_key, name };
}

async function createPerson(org: TestOrg, username: string): Promise<string> {
  const r = await call(server.url, 'POST', '/persons', { ...as(org), json: { handles: [{ type: 'username', value: username }] } });
  if (r.status !== 201) throw new Error(`person ${username}: ${r.status} ${r.text}`);
  return r.body.result.person_id;
}

const groupsOf = async (org: TestOrg, personId: string) => (await call(server.url, 'GET', `/persons/${personId}/groups`, as(org))).body.result;

beforeAll(async () => {
  server = await startTestServer();
  const root = await server.createOrg('Pools Root');
  owner = await createSub(root, 'Owner');
  sharer = await createSub(root, 'Sharer', { persons_org_id: owner.id, groups_org_id: owner.id });
  loner = await createSub(root, 'Loner', { persons_org_id: owner.id });
  outsider = await createSub(root, 'Outsider');
});
afterAll(() => server.close());

describe('the group pool', () => {
  test('a group is the same group in every organization of the pool; others do not see it', async () => {
    expect((await call(server.url, 'POST', '/groups', { ...as(owner), json: { name: 'eng', description: 'engineers' } })).status).toBe(201);
    const fromOwner = (await call(server.url, 'GET', '/groups/eng', as(owner))).body.result;
    const fromSharer = await call(server.url, 'GET', '/groups/eng', as(sharer));
    expect(fromSharer.status).toBe(200);
    expect(fromSharer.body.result).toEqual(fromOwner);
    // Creating it again through the sharer is the same group (idempotent), not a second one.
    expect((await call(server.url, 'POST', '/groups', { ...as(sharer), json: { name: 'eng' } })).status).toBe(201);
    expect(await server.sql(`select organization_id from access_group where name = 'eng'`)).toEqual([{ organization_id: owner.id }]);
    expect((await call(server.url, 'GET', '/groups', as(sharer))).body.result).toContain('eng');
    for (const other of [loner, outsider]) {
      expect((await call(server.url, 'GET', '/groups/eng', as(other))).status).toBe(404);
      expect((await call(server.url, 'GET', '/groups', as(other))).body.result ?? []).not.toContain('eng');
    }
  });

  test('membership written through one organization of the pool is read through the other', async () => {
    await call(server.url, 'POST', '/groups', { ...as(owner), json: { name: 'ops' } });
    const ada = await createPerson(sharer, 'ada-pool');
    let r = await call(server.url, 'POST', '/groups/ops/persons', { ...as(sharer), json: { persons: [ada] } });
    expect(r.status).toBe(201);
    r = await call(server.url, 'GET', '/groups/ops/persons', as(owner));
    expect(r.body.result).toEqual([ada]);
    expect(await groupsOf(owner, ada)).toEqual(['ops']);
    expect(await groupsOf(sharer, ada)).toEqual(['ops']);
    // The loner shares the person but not the groups: none of the owner's groups show there.
    expect(await groupsOf(loner, ada)).toEqual([]);
    expect((await call(server.url, 'GET', `/persons/${ada}/groups`, as(outsider))).status).toBe(404);
    r = await call(server.url, 'DELETE', `/groups/ops/persons/${ada}`, as(owner));
    expect(r.status).toBe(200);
    expect(await groupsOf(sharer, ada)).toEqual([]);
    // The outsider cannot add a person of the pool to its own group.
    await call(server.url, 'POST', '/groups', { ...as(outsider), json: { name: 'ops' } });
    r = await call(server.url, 'POST', '/groups/ops/persons', { ...as(outsider), json: { persons: [ada] } });
    expect(r.status).toBe(404);
  });

  test('setting a pooled person\'s groups in one group pool leaves its memberships of another alone', async () => {
    const bo = await createPerson(owner, 'bo-pool');
    await call(server.url, 'POST', '/groups', { ...as(owner), json: { name: 'owners-group' } });
    await call(server.url, 'POST', '/groups', { ...as(loner), json: { name: 'loners-group' } });
    expect((await call(server.url, 'PUT', `/persons/${bo}/groups`, { ...as(sharer), json: { groups: ['owners-group'] } })).status).toBe(200);
    expect((await call(server.url, 'PUT', `/persons/${bo}/groups`, { ...as(loner), json: { groups: ['loners-group'] } })).status).toBe(200);
    expect(await groupsOf(owner, bo)).toEqual(['owners-group']);
    expect(await groupsOf(loner, bo)).toEqual(['loners-group']);
    // A group of another pool is unknown here.
    const r = await call(server.url, 'PUT', `/persons/${bo}/groups`, { ...as(loner), json: { groups: ['owners-group'] } });
    expect(r.status).toBe(400);
    expect((await call(server.url, 'PUT', `/persons/${bo}/groups`, { ...as(loner), json: { groups: [] } })).status).toBe(200);
    expect(await groupsOf(owner, bo)).toEqual(['owners-group']);
    expect(await groupsOf(loner, bo)).toEqual([]);
    // A person created with groups names those of the creating organization's group pool.
    const post = (org: TestOrg, username: string, groups: string[]) =>
      call(server.url, 'POST', '/persons', { ...as(org), json: { handles: [{ type: 'username', value: username }], groups } });
    const viaLoner = await post(loner, 'cal-pool', ['loners-group']);
    expect(viaLoner.status).toBe(201);
    expect(await groupsOf(loner, viaLoner.body.result.person_id)).toEqual(['loners-group']);
    expect(await groupsOf(owner, viaLoner.body.result.person_id)).toEqual([]);
    expect((await post(loner, 'cal-pool-2', ['owners-group'])).status).toBe(400);
    const viaSharer = await post(sharer, 'cal-pool-3', ['owners-group']);
    expect(viaSharer.status).toBe(201);
    expect(await groupsOf(owner, viaSharer.body.result.person_id)).toEqual(['owners-group']);
  });

  test('GraphQL: groups and a person\'s groups follow the pool', async () => {
    const cy = await createPerson(owner, 'cy-pool');
    await call(server.url, 'POST', '/groups', { ...as(owner), json: { name: 'gql' } });
    await call(server.url, 'POST', '/groups/gql/persons', { ...as(owner), json: { persons: [cy] } });
    const query = async (org: TestOrg) => (await call(server.url, 'POST', '/graphql', {
      headers: slashidHeaders(org),
      json: { query: `query($id: ID!) { group(name: "gql") { name memberIds } person(id: $id) { groups { name } } }`, variables: { id: cy } },
    })).body;
    expect((await query(sharer)).data).toEqual({ group: { name: 'gql', memberIds: [cy] }, person: { groups: [{ name: 'gql' }] } });
    const lonely = await query(loner);
    expect(lonely.errors?.[0]?.message).toMatch(/No group named "gql"/);
  });

  test('SCIM /Groups of a sharer are the owner\'s groups; the outsider does not see them', async () => {
    const scim = scimClient(server, sharer.id, sharer.apiKey);
    const dee = await createPerson(owner, 'dee-pool');
    const created = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'scim-pooled', members: [{ value: dee }] });
    expect(created.status).toBe(201);
    const fromOwner = await call(server.url, 'GET', '/groups/scim-pooled/persons', as(owner));
    expect(fromOwner.body.result).toEqual([dee]);
    const ownerScim = scimClient(server, owner.id, owner.apiKey);
    expect((await ownerScim('GET', `/Groups/${created.body.id}`)).body.members).toEqual([expect.objectContaining({ value: dee })]);
    const listed = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "eng"')}`);
    expect(listed.body.totalResults).toBe(1);
    const ed = await createPerson(sharer, 'ed-pool');
    expect((await scim('PATCH', `/Groups/${created.body.id}`, patch({ op: 'add', path: 'members', value: [{ value: ed }] }))).status).toBe(200);
    expect((await call(server.url, 'GET', '/groups/scim-pooled', as(owner))).body.result.members_count).toBe(2);
    const foreign = scimClient(server, outsider.id, outsider.apiKey);
    expect((await foreign('GET', `/Groups/${created.body.id}`)).status).toBe(404);
    expect((await scimClient(server, loner.id, loner.apiKey)('GET', `/Groups/${created.body.id}`)).status).toBe(404);
    // A person outside the pools is no member the sharer may add.
    const stranger = await createPerson(outsider, 'stranger-pool');
    expect((await scim('PATCH', `/Groups/${created.body.id}`, patch({ op: 'add', path: 'members', value: [{ value: stranger }] }))).status).toBe(400);
  });
});

describe('the person pool', () => {
  test('SCIM /Users of a sharer are the owner\'s persons: created there, found everywhere in the pool', async () => {
    const scim = scimClient(server, sharer.id, sharer.apiKey);
    const r = await scim('POST', '/Users', { schemas: [USER], userName: 'scim-pooled', emails: [{ value: 'scim-pooled@example.com' }] });
    expect(r.status).toBe(201);
    const id = r.body.id;
    expect(await server.sql('select organization_id from person where id = $1', [id])).toEqual([{ organization_id: owner.id }]);
    expect(await server.sql(`select distinct organization_id from handle where person_id = $1`, [id])).toEqual([{ organization_id: owner.id }]);
    const found = await call(server.url, 'GET', `/persons?handle=${encodeURIComponent('username:scim-pooled')}`, as(owner));
    expect(found.body.result.map((p: { person_id: string }) => p.person_id)).toEqual([id]);
    for (const org of [owner, sharer, loner]) {
      const client = scimClient(server, org.id, org.apiKey);
      expect((await client('GET', `/Users/${id}`)).status).toBe(200);
      const filtered = await client('GET', `/Users?filter=${encodeURIComponent('userName eq "scim-pooled"')}`);
      expect([org.name, filtered.body.totalResults]).toEqual([org.name, 1]);
      const byEmail = await client('GET', `/Users?filter=${encodeURIComponent('emails[value eq "scim-pooled@example.com"]')}`);
      expect([org.name, byEmail.body.totalResults]).toEqual([org.name, 1]);
    }
    // The handle is the pool's: a second user of that name is refused from any organization of the pool.
    expect((await scimClient(server, loner.id, loner.apiKey)('POST', '/Users', { schemas: [USER], userName: 'scim-pooled' })).status).toBe(409);
    const patched = await scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'userName', value: 'scim-renamed' }));
    expect(patched.status).toBe(200);
    expect(await server.sql(`select organization_id from handle where normalized = 'scim-renamed'`)).toEqual([{ organization_id: owner.id }]);
    const foreign = scimClient(server, outsider.id, outsider.apiKey);
    expect((await foreign('GET', `/Users/${id}`)).status).toBe(404);
    expect((await foreign('GET', `/Users?filter=${encodeURIComponent('userName eq "scim-renamed"')}`)).body.totalResults).toBe(0);
    expect((await foreign('DELETE', `/Users/${id}`)).status).toBe(404);
    expect((await scimClient(server, loner.id, loner.apiKey)('DELETE', `/Users/${id}`)).status).toBe(204);
    expect(await server.sql('select 1 from person where id = $1', [id])).toEqual([]);
  });

  test('user tokens: a sharer mints and validates for a pooled person, in its own name and with its group pool', async () => {
    const fay = await createPerson(owner, 'fay-pool');
    await call(server.url, 'POST', '/groups', { ...as(owner), json: { name: 'minted' } });
    await call(server.url, 'POST', '/groups/minted/persons', { ...as(owner), json: { persons: [fay] } });
    const minted = await call(server.url, 'POST', `/persons/${fay}/mint-token`, { ...as(sharer), json: {} });
    expect(minted.status).toBe(201);
    const claims = decodeJwt(minted.body.result);
    expect(claims).toMatchObject({ sub: fay, oid: sharer.id, groups: ['minted'] });
    const valid = await call(server.url, 'POST', '/token/validate', { ...as(sharer), json: { token: minted.body.result } });
    expect(valid.body.result.valid).toBe(true);
    // The loner mints too, with its own (empty) group pool.
    const lonely = await call(server.url, 'POST', `/persons/${fay}/mint-token`, { ...as(loner), json: {} });
    expect(decodeJwt(lonely.body.result)).toMatchObject({ sub: fay, oid: loner.id, groups: [] });
    const direct = await call(server.url, 'POST', `/persons/${fay}/direct-id`, { ...as(sharer), json: { duration_secs: 60 } });
    expect(direct.status).toBe(201);
    // The outsider neither mints for the person nor validates the sharer's token.
    expect((await call(server.url, 'POST', `/persons/${fay}/mint-token`, { ...as(outsider), json: {} })).status).toBe(404);
    expect((await call(server.url, 'POST', `/persons/${fay}/direct-id`, { ...as(outsider), json: { duration_secs: 60 } })).status).toBe(404);
    const foreign = await call(server.url, 'POST', '/token/validate', { ...as(outsider), json: { token: minted.body.result } });
    expect(foreign.body.result.valid).toBe(false);
  });

  test('sign-in: a pooled person signs in with its password at a client of a sharer, not at an outsider\'s', async () => {
    const PASSWORD = 'a long enough password';
    const REDIRECT = 'https://pools.example/cb';
    const gus = await createPersonWithPassword(server, owner.id, [{ type: 'username', value: 'gus-pool' }], PASSWORD);
    const clients: Record<string, string> = {};
    for (const org of [sharer, outsider]) {
      const r = await call(server.url, 'POST', '/clients', {
        headers: vaultHeaders(org), json: { client_id: `app-${org.name}`, name: 'App', tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
      });
      if (r.status !== 201 && r.status !== 200) throw new Error(`client: ${r.status} ${r.text}`);
      clients[org.name] = r.body.client_secret;
    }
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const authorize = (clientId: string) => `${server.url}/oauth2/authorize?${new URLSearchParams({
      client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', code_challenge: challenge,
      code_challenge_method: 'S256',
    })}`;

    const browser = new Browser();
    const page = await browser.request(authorize('app-Sharer'));
    expect(hidden(page.html, 'auth_req_id')).toBeTruthy();
    const done = await submitLogin(browser, page.html, 'gus-pool', PASSWORD);
    expect(done.status).toBe(303);
    let location = done.location!;
    for (let hops = 0; !location.startsWith(REDIRECT) && hops < 5; hops++) {
      location = (await browser.request(new URL(location, server.url).toString())).location!;
    }
    const code = new URL(location).searchParams.get('code');
    expect(code).toBeTruthy();
    const tokens = await fetch(`${server.url}/oauth2/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, code_verifier: verifier,
        client_id: 'app-Sharer', client_secret: clients.Sharer,
      }).toString(),
    });
    expect(tokens.status).toBe(200);
    expect(decodeJwt(((await tokens.json()) as { id_token: string }).id_token).sub).toBe(gus);

    const elsewhere = new Browser();
    const foreignPage = await elsewhere.request(authorize('app-Outsider'));
    const refused = await submitLogin(elsewhere, foreignPage.html, 'gus-pool', PASSWORD);
    expect(refused.status).toBe(401);
  });

  test('passkeys: registered through the owner, a pooled person signs in with it at a sharer, not at an outsider', async () => {
    for (const org of [owner, sharer, outsider]) await enableRegistration(server.url, org, org.id, { passkey_enabled: true });
    const hal = await createPerson(owner, 'hal-pool');
    const key = await call(server.url, 'POST', '/api-keys', {
      headers: vaultHeaders(owner), json: { name: 'passkeys', scopes: ['passkeys:write'], tenant_id: owner.id, user_id: hal },
    });
    expect(key.status).toBe(201);
    const authenticator = new SoftAuthenticator(server.url);
    const options = await call(server.url, 'POST', '/webauthn/register/options', { headers: { 'X-API-Key': key.body.api_key } });
    expect(options.status).toBe(200);
    const registered = await call(server.url, 'POST', '/webauthn/register/verify', {
      headers: { 'X-API-Key': key.body.api_key }, json: authenticator.register(options.body).body,
    });
    expect(registered.status).toBe(200);
    const optionsAt = async (org: TestOrg, username?: string) => {
      const opts = await call(server.url, 'POST', `/webauthn/authenticate/options?tenant_id=${org.id}`, { json: username ? { username } : {} });
      expect(opts.status).toBe(200);
      return opts.body;
    };
    const signIn = async (org: TestOrg, username?: string) => {
      const opts = await optionsAt(org, username);
      return { opts, verify: await call(server.url, 'POST', `/webauthn/authenticate/verify?tenant_id=${org.id}`, { json: authenticator.assert(opts) }) };
    };
    // Username-first at the sharer lists the pooled person's passkey; both ways sign in.
    const named = await signIn(sharer, 'hal-pool');
    expect(named.opts.allowCredentials.map((c: { id: string }) => c.id)).toEqual([authenticator.passkeys[0].id.toString('base64url')]);
    expect(named.verify.status).toBe(200);
    expect((await signIn(sharer)).verify.status).toBe(200);
    const [ticket] = await server.sql(`select person_id, organization_id from login_ticket order by created_at desc limit 1`);
    expect(ticket).toEqual({ person_id: hal, organization_id: sharer.id });
    // The outsider neither finds the person nor accepts the passkey.
    const foreign = { opts: await optionsAt(outsider, 'hal-pool') };
    expect(foreign.opts.allowCredentials.map((c: { id: string }) => c.id)).not.toContain(authenticator.passkeys[0].id.toString('base64url'));
    expect((await signIn(outsider)).verify.status).toBe(401);
  });
});
