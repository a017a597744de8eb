// Brokered sign-in with an upstream OpenID provider (oidc-provider, in this process), driven over
// HTTP like a browser without JavaScript: the RP's authorize request → "Continue with Corp IdP" →
// upstream login and consent → idgraph's callback → code → tokens (openid-client as the RP).
// Then the upstream tokens of the SSO authentication: read with the token container, queried,
// revoked here and upstream (RFC 7009, observed by introspection at the upstream).
import * as client from 'openid-client';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { Browser, createPersonWithPassword, formAction, hidden } from '../oidc/browser.ts';
import { Organization } from '../../src/domain/organization/organization.entity.ts';
import { createOidcCredential } from '../../src/domain/sso/oidc-credential.service.ts';
import { Sealer } from '../../src/crypto/sealed.ts';
import { activeUpstream, startUpstreamOp, UPSTREAM_CLIENT, walkUpstream, type UpstreamOp } from './upstream-op.ts';

const REDIRECT = 'https://rp.example/cb';
const TENANT = 'acme-realm';
let server: TestServer;
let op: UpstreamOp;
let acme: TestOrg;
let other: TestOrg;
let rootConfig: client.Configuration;
let realmConfig: client.Configuration;
let adaId: string;
let victimId: string;

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });

beforeAll(async () => {
  server = await startTestServer({ ssoAllowHttpLoopback: true });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  op = await startUpstreamOp([`${server.url}/oauth2/sso/oidc/callback`, `${server.url}/realms/${TENANT}/protocol/openid-connect/sso/oidc/callback`]);
  // The RP at idgraph (root issuer), and a realm with its own RP.
  const rp = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme), json: { tenant_id: acme.id, client_id: 'rp-web', name: 'RP Web', redirect_uris: [REDIRECT], allowed_scopes: ['openid', 'email', 'profile'] },
  });
  expect(rp.status).toBe(200);
  rootConfig = await client.discovery(new URL(server.url), 'rp-web', {}, client.ClientSecretPost(rp.body.client_secret), { execute: [client.allowInsecureRequests] });
  expect((await call(server.url, 'POST', '/tenants', { headers: vaultHeaders(acme), json: { tenant_id: TENANT, display_name: 'Acme Realm' } })).status).toBe(201);
  const realmRp = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme), json: { tenant_id: TENANT, client_id: 'realm-app', name: 'Realm app', redirect_uris: [REDIRECT], allowed_scopes: ['openid', 'email'] },
  });
  expect(realmRp.status).toBe(200);
  realmConfig = await client.discovery(new URL(`${server.url}/realms/${TENANT}`), 'realm-app', {}, client.ClientSecretPost(realmRp.body.client_secret), { execute: [client.allowInsecureRequests] });

  // The upstream, as the organization configures it; a disabled one and an OAuth-only one stay off the page.
  const upstream = { client_id: UPSTREAM_CLIENT.id, client_secret: UPSTREAM_CLIENT.secret, provider: 'oidc', label: 'Corp IdP', options: { oidc: { issuer: op.issuer } }, enable_in_slashid_oidc_authz_server: true };
  expect((await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', { ...as(acme), json: upstream })).status).toBe(201);
  expect((await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', { ...as(acme), json: { client_id: 'g', client_secret: 's', provider: 'google', label: 'Hidden Google' } })).status).toBe(201);
  expect((await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', { ...as(acme), json: { client_id: 'gh', client_secret: 's', provider: 'github' } })).status).toBe(201);

  adaId = await createPersonWithPassword(server, acme.id, [{ type: 'email_address', value: 'ada@corp.example' }], 'ada password 123');
  victimId = await createPersonWithPassword(server, acme.id, [{ type: 'email_address', value: 'victim@corp.example' }], 'victim password 123');
  await server.sql('update person set is_verified = true where id = any($1)', [[adaId, victimId]]);
}, 60_000);
afterAll(async () => { await op?.close(); await server?.close(); });

interface Flow { verifier: string; state: string; nonce: string; url: URL }
async function startFlow(cfg: client.Configuration): Promise<Flow> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: REDIRECT, scope: 'openid email', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  return { verifier, state, nonce, url };
}

/** Authorize → the page → "Continue with Corp IdP" → the upstream's authorization URL. */
async function continueWithUpstream(browser: Browser, cfg = rootConfig) {
  const flow = await startFlow(cfg);
  const page = await browser.request(flow.url);
  expect(page.status).toBe(200);
  const value = /name="sso" value="([^"]+)"[^>]*>Continue with Corp IdP</.exec(page.html)?.[1];
  expect(value).toMatch(/^oidc:/);
  const started = await browser.request(formAction(page.html)!, {
    form: { auth_req_id: hidden(page.html, 'auth_req_id')!, csrf_token: hidden(page.html, 'csrf_token')!, sso: value! },
  });
  expect(started.status).toBe(303);
  expect(started.location!.startsWith(`${op.issuer}/auth?`)).toBe(true);
  return { flow, page, upstreamUrl: started.location! };
}

/** The whole sign-in as `login` at the upstream; the callback URL and idgraph's answer to it. */
async function brokeredSignIn(browser: Browser, login: string, cfg = rootConfig) {
  const { flow, upstreamUrl } = await continueWithUpstream(browser, cfg);
  const callback = await walkUpstream(browser, op, upstreamUrl, login);
  const answer = await browser.request(callback);
  return { flow, callback, answer };
}

const redeem = (cfg: client.Configuration, flow: Flow, location: string) =>
  client.authorizationCodeGrant(cfg, new URL(location), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });

test('the sign-in page offers the enabled OpenID providers only', async () => {
  const browser = new Browser();
  const { page, upstreamUrl } = await continueWithUpstream(browser);
  expect(page.html).not.toContain('Hidden Google');
  expect(page.html).not.toContain('GitHub');
  const url = new URL(upstreamUrl);
  expect(Object.fromEntries(url.searchParams)).toMatchObject({
    client_id: UPSTREAM_CLIENT.id, response_type: 'code', code_challenge_method: 'S256', redirect_uri: `${server.url}/oauth2/sso/oidc/callback`,
  });
  expect(url.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
  expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
  expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
});

let adaCallback: string;
let adaIdToken: string;
let adaAuthenticationId: string;

test('full flow: an existing person with a verified email signs in upstream; tokens record method oidc and the handle', async () => {
  const browser = new Browser();
  const { flow, callback, answer } = await brokeredSignIn(browser, 'ada');
  adaCallback = callback;
  expect(callback.startsWith(`${server.url}/oauth2/sso/oidc/callback?`)).toBe(true);
  expect(answer.status).toBe(302);
  expect(answer.location!.startsWith(`${REDIRECT}?code=`)).toBe(true);
  const tokens = await redeem(rootConfig, flow, answer.location!);
  const claims = tokens.claims()!;
  expect(claims.sub).toBe(adaId);
  expect(claims.authenticated_methods).toEqual(['oidc']);
  const [authentication] = claims.authentications as { method: string; handle: unknown; id: string; provider: string }[];
  expect(authentication).toEqual({ method: 'oidc', handle: { type: 'email_address', value: 'ada@corp.example' }, id: expect.any(String), provider: 'oidc' });
  expect(decodeJwt(tokens.access_token).authenticated_methods).toEqual(['oidc']);
  adaIdToken = tokens.id_token!;
  adaAuthenticationId = authentication.id;
  // The person now has a session here: the next authorize request needs no sign-in.
  const again = await startFlow(rootConfig);
  expect((await browser.request(again.url)).status).toBe(302);
  expect(await server.sql('select person_id from upstream_identity where subject = $1', ['ada'])).toEqual([{ person_id: adaId }]);
});

test('the upstream tokens: by token container, by query; revoked here and upstream', async () => {
  const got = await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': adaIdToken } });
  expect(got.status).toBe(200);
  expect(got.headers.get('cache-control')).toBe('no-store');
  const byType = Object.fromEntries(got.body.result.map((t: { token_type: string }) => [t.token_type, t]));
  expect(Object.keys(byType).sort()).toEqual(['access', 'id']);
  expect(byType.access).toMatchObject({
    provider: 'oidc', client_id: UPSTREAM_CLIENT.id, authentication_id: adaAuthenticationId, person_id: adaId, organization_id: acme.id,
    expiry: expect.stringMatching(/^\d{4}-/),
  });
  expect(decodeJwt(byType.id.token)).toMatchObject({ iss: op.issuer, sub: 'ada', aud: UPSTREAM_CLIENT.id });
  expect(await activeUpstream(op, byType.access.token)).toBe(true);
  // Sealed at rest.
  for (const row of await server.sql<{ sealed_token: string }>('select sealed_token from sso_oidc_token')) {
    expect(row.sealed_token).not.toContain(byType.access.token);
  }

  const queried = await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(acme), json: { person_id: adaId } });
  expect(queried.status).toBe(200);
  expect(queried.body.result).toHaveLength(2);
  const onlyId = await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(acme), json: { person_id: adaId, authentication_ids: [adaAuthenticationId], token_types: ['id'] } });
  expect(onlyId.body.result.map((t: { token_type: string }) => t.token_type)).toEqual(['id']);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(acme), json: { person_id: adaId, authentication_ids: ['nope'] } })).body.result).toEqual([]);

  const revoked = await call(server.url, 'POST', '/sso/oidc/tokens/revoke/v2', { ...as(acme), json: { person_id: adaId, authentication_id: adaAuthenticationId, token_types: ['access'] } });
  expect(revoked.status).toBe(204);
  expect(await activeUpstream(op, byType.access.token)).toBe(false);
  const left = await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(acme), json: { person_id: adaId } });
  expect(left.body.result.map((t: { token_type: string }) => t.token_type)).toEqual(['id']);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/revoke/v2', { ...as(acme), json: { person_id: adaId, authentication_id: adaAuthenticationId, token_types: ['access'] } })).status).toBe(404);
});

test('SSO token operations refuse missing, wrong and foreign credentials and bad input', async () => {
  expect((await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { 'SlashID-Token': adaIdToken } })).status).toBe(401);
  expect((await call(server.url, 'GET', '/sso/oidc/tokens', as(acme))).status).toBe(401);
  expect((await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': 'not.a.token' } })).status).toBe(401);
  const tampered = adaIdToken.slice(0, -4) + (adaIdToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  expect((await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': tampered } })).status).toBe(401);
  // Another organization's key with Acme's token container, person and authentication: nothing.
  expect((await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(other), 'SlashID-Token': adaIdToken } })).status).toBe(401);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(other), json: { person_id: adaId } })).status).toBe(404);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/revoke/v2', { ...as(other), json: { person_id: adaId, authentication_id: adaAuthenticationId } })).status).toBe(404);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/query', { json: { person_id: adaId } })).status).toBe(401);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/revoke/v2', { headers: { 'SlashID-OrgID': acme.id, 'SlashID-API-Key': 'wrong' }, json: { person_id: adaId, authentication_id: adaAuthenticationId } })).status).toBe(401);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(acme), json: {} })).status).toBe(400);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(acme), json: { person_id: adaId, token_types: ['bearer'] } })).status).toBe(400);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/query', { ...as(acme), json: { person_id: crypto.randomUUID() } })).status).toBe(404);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/revoke/v2', { ...as(acme), json: { person_id: adaId } })).status).toBe(400);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/revoke', { headers: { 'SlashID-API-Key': acme.apiKey }, json: { client_id: UPSTREAM_CLIENT.id, token: 'x', token_type: 'id_token' } })).status).toBe(400);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/revoke', { headers: { 'SlashID-API-Key': acme.apiKey }, json: { client_id: 'unknown', token: 'x', token_type: 'access_token' } })).status).toBe(404);
  expect((await call(server.url, 'POST', '/sso/oidc/tokens/revoke', { json: { client_id: UPSTREAM_CLIENT.id, token: 'x', token_type: 'access_token' } })).status).toBe(401);
});

test('a replayed callback (same code and state) is refused', async () => {
  const browser = new Browser();
  const replay = await browser.request(adaCallback);
  expect(replay.status).toBe(400);
  expect(replay.html).toContain('already used');
});

test('a state that names no sign-in, or one started in another browser, is refused; the rightful browser still finishes', async () => {
  const browser = new Browser();
  const { upstreamUrl } = await continueWithUpstream(browser);
  const callback = await walkUpstream(browser, op, upstreamUrl, 'ada');
  const forged = new URL(callback);
  forged.searchParams.set('state', client.randomState());
  const mismatch = await browser.request(forged);
  expect(mismatch.status).toBe(400);
  expect(mismatch.html).toContain('unknown, expired or was already used');
  const elsewhere = await new Browser().request(callback);
  expect(elsewhere.status).toBe(400);
  expect(elsewhere.html).toContain('another browser');
  const rightful = await browser.request(callback);
  expect(rightful.status).toBe(302);
  expect(rightful.location!.startsWith(`${REDIRECT}?code=`)).toBe(true);
});

test('an unverified upstream email is never merged into the existing person holding it', async () => {
  const browser = new Browser();
  const { answer } = await brokeredSignIn(browser, 'mallory');
  expect(answer.status).toBe(403);
  expect(answer.html).toContain('did not confirm that victim@corp.example is verified');
  expect(answer.html).toContain('name="handle"');
  expect(await server.sql('select * from upstream_identity where subject = $1', ['mallory'])).toEqual([]);
  expect(await server.sql('select count(*)::int as n from handle where normalized = $1', ['victim@corp.example'])).toEqual([{ n: 1 }]);
});

test('a new identity becomes a new person (self-registration allowed); the next sign-in finds the same person', async () => {
  const first = await brokeredSignIn(new Browser(), 'newbie');
  expect(first.answer.status).toBe(302);
  const tokens = await redeem(rootConfig, first.flow, first.answer.location!);
  const personId = tokens.claims()!.sub;
  expect(await server.sql('select is_verified, active from person where id = $1', [personId])).toEqual([{ is_verified: true, active: true }]);
  const second = await brokeredSignIn(new Browser(), 'newbie');
  expect((await redeem(rootConfig, second.flow, second.answer.location!)).claims()!.sub).toBe(personId);
});

test('under a realm: the callback is the realm\'s, the tokens are the realm issuer\'s', async () => {
  // The realm's own credentials, through the domain service (the realm has no SlashID key of its own here).
  const em = server.db.orm.em.fork();
  const realmOrg = await em.findOneOrFail(Organization, { tenantId: TENANT });
  await createOidcCredential(em, realmOrg, {
    clientId: UPSTREAM_CLIENT.id, clientSecret: UPSTREAM_CLIENT.secret, provider: 'oidc', label: 'Corp IdP',
    options: { oidc: { issuer: op.issuer } }, enableInAuthzServer: true,
  }, new Sealer(Buffer.from(server.config.masterKey!, 'hex')), { allowHttpLoopback: true, timeoutMs: 5000 });
  const browser = new Browser();
  const { flow, upstreamUrl } = await continueWithUpstream(browser, realmConfig);
  expect(new URL(upstreamUrl).searchParams.get('redirect_uri')).toBe(`${server.url}/realms/${TENANT}/protocol/openid-connect/sso/oidc/callback`);
  const callback = await walkUpstream(browser, op, upstreamUrl, 'newbie');
  expect(callback.startsWith(`${server.url}/realms/${TENANT}/protocol/openid-connect/sso/oidc/callback?`)).toBe(true);
  const answer = await browser.request(callback);
  expect(answer.status).toBe(302);
  const tokens = await redeem(realmConfig, flow, answer.location!);
  expect(tokens.claims()).toMatchObject({ iss: `${server.url}/realms/${TENANT}`, authenticated_methods: ['oidc'] });
  // The realm's persons are its own: the upstream identity is linked there, not in Acme.
  const [link] = await server.sql<{ organization_id: string }>('select organization_id from upstream_identity where subject = $1 and organization_id = $2', ['newbie', realmOrg.id]);
  expect(link).toBeDefined();
});

test('deprecated revoke by value: sent upstream and forgotten here', async () => {
  const { flow, answer } = await brokeredSignIn(new Browser(), 'ada');
  const ours = await redeem(rootConfig, flow, answer.location!);
  const got = await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': ours.access_token } });
  expect(got.status).toBe(200);
  const access = got.body.result.find((t: { token_type: string }) => t.token_type === 'access').token;
  expect(await activeUpstream(op, access)).toBe(true);
  const revoked = await call(server.url, 'POST', '/sso/oidc/tokens/revoke', { headers: { 'SlashID-API-Key': acme.apiKey }, json: { client_id: UPSTREAM_CLIENT.id, token: access, token_type: 'access_token' } });
  expect(revoked.status).toBe(204);
  expect(await activeUpstream(op, access)).toBe(false);
  const after = await call(server.url, 'GET', '/sso/oidc/tokens', { headers: { ...slashidHeaders(acme), 'SlashID-Token': ours.access_token } });
  expect(after.body.result.map((t: { token_type: string }) => t.token_type)).toEqual(['id']);
});
