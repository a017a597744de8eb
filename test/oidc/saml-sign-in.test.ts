// SAML sign-in at the hosted login page, over real HTTP: authorize → "Continue with <IdP>" →
// AuthnRequest (redirect binding, RelayState = auth_req_id) → the IdP's response POSTed to the
// ACS → authorize/continue → code → tokens whose authenticated_methods is ["saml"]. The IdP is a
// samlify IdP of the test's own (self-signed key, metadata on loopback). Refused: unsigned,
// another key, wrong audience, wrong recipient, wrong destination, expired, replayed, unknown
// InResponseTo, a RelayState of another request, and the continue step in another browser.
import * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { SamlTestIdp, type ResponseOptions } from '../helpers/saml-idp.ts';
import { Browser, hidden, formAction } from './browser.ts';

const insecure = { [oauth.allowInsecureRequests]: true };
const REDIRECT = 'https://saml-app.example/callback';
let server: TestServer;
let org: TestOrg;
let idp: SamlTestIdp;
let impostor: SamlTestIdp;
let providerId: string;
let as: oauth.AuthorizationServer;
let secret: string;
let spMetadata: string;
const rp: oauth.Client = { client_id: 'saml-app' };

beforeAll(async () => {
  server = await startTestServer({ ssoAllowHttpLoopback: true, outboxPollMs: 0 });
  org = await server.createOrg('SAML tenant');
  idp = await SamlTestIdp.start();
  // Same entityID, another key: what an attacker who copied the IdP's metadata would sign with.
  impostor = await SamlTestIdp.start({ entityId: idp.entityId });
  const created = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(org),
    json: { client_id: rp.client_id, name: 'SAML app', tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
  });
  secret = created.body.client_secret;
  const provider = await call(server.url, 'POST', '/organizations/sso/saml/provider-credentials', {
    headers: slashidHeaders(org),
    json: { idp_metadata_url: idp.metadataUrl, label: 'Corp IdP', email_claims: ['email'], enable_in_slashid_oidc_authz_server: true },
  });
  expect(provider.status).toBe(201);
  providerId = provider.body.result.id;
  const issuer = new URL(`${server.url}/realms/${org.id}`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  const metadata = await fetch(`${issuer}/protocol/saml/metadata`);
  expect(metadata.headers.get('content-type')).toContain('application/samlmetadata+xml');
  spMetadata = await metadata.text();
});
afterAll(async () => { await idp.close(); await impostor.close(); await server.close(); });

/** authorize → the login page → "Continue with Corp IdP": the redirect to the IdP. */
async function toIdp(browser = new Browser()) {
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'st',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  const page = await browser.request(url);
  expect(page.status).toBe(200);
  expect(page.html).toContain(`value="saml:${providerId}"`);
  expect(page.html).toContain('Continue with Corp IdP');
  const started = await browser.request(formAction(page.html.slice(page.html.indexOf('id="sso-form"') - 60))!, {
    form: { auth_req_id: hidden(page.html, 'auth_req_id')!, csrf_token: hidden(page.html, 'csrf_token')!, sso: `saml:${providerId}` },
  });
  expect(started.status).toBe(303);
  expect(started.location!.startsWith(`${idp.url}/sso?`)).toBe(true);
  return { browser, verifier, location: started.location!, authReqId: hidden(page.html, 'auth_req_id')! };
}

const acsUrl = () => `${server.url}/realms/${org.id}/protocol/saml/acs`;

async function post(browser: Browser, form: { SAMLResponse: string; RelayState: string }) {
  return browser.request(acsUrl(), { form });
}

async function signIn(email: string, options: ResponseOptions = {}) {
  const flow = await toIdp();
  const request = SamlTestIdp.readRequest(flow.location);
  expect(request.relayState).toBe(flow.authReqId);
  expect(request.xml).toContain(`AssertionConsumerServiceURL="${acsUrl()}"`);
  const answered = await post(flow.browser, await idp.answer(spMetadata, flow.location, { email, ...options }));
  expect({ status: answered.status, html: answered.status === 303 ? '' : answered.html }).toEqual({ status: 303, html: '' });
  const next = await flow.browser.request(answered.location!);
  expect(next.status).toBe(302);
  const params = oauth.validateAuthResponse(as, rp, new URL(next.location!), 'st');
  const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
    await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(secret), params, REDIRECT, flow.verifier, insecure));
  return tokens;
}

test('the full flow: a new person from the IdP\'s email, tokens with method saml; the same subject signs in again as that person', async () => {
  const tokens = await signIn('sam@corp.example');
  const id = oauth.getValidatedIdTokenClaims(tokens)!;
  const handle = { type: 'email_address', value: 'sam@corp.example' };
  expect(id.authenticated_methods).toEqual(['saml']);
  expect(id.authentications).toEqual([expect.objectContaining({ method: 'saml', handle })]);
  const access = decodeJwt(tokens.access_token);
  expect(access.authenticated_methods).toEqual(['saml']);
  const person = await call(server.url, 'GET', `/persons/${id.sub}`, { headers: slashidHeaders(org) });
  expect(person.body.result.handles).toEqual([handle]);
  // Signed response (not assertion), NameID emailAddress only, no attribute: the same subject → the same person.
  const again = await signIn('', {
    sign: 'response', attributes: {}, nameId: 'subject-of-sam@corp.example', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  });
  expect(oauth.getValidatedIdTokenClaims(again)!.sub).toBe(id.sub);
});

test('refused responses: each with its reason, none signs anyone in', async () => {
  const cases: [string, (flow: Awaited<ReturnType<typeof toIdp>>) => Promise<{ SAMLResponse: string; RelayState: string }>, RegExp][] = [
    ['unsigned', (f) => idp.answer(spMetadata, f.location, { email: 'x@corp.example', sign: 'none' }), /not signed/],
    ['signed by another key', (f) => idp.answer(spMetadata, f.location, { email: 'x@corp.example', signer: impostor }), /certificate|not signed/],
    ['wrong audience', (f) => idp.answer(spMetadata, f.location, { email: 'x@corp.example', audience: 'https://other-sp.example/metadata' }), /audience/],
    ['wrong recipient', (f) => idp.answer(spMetadata, f.location, { email: 'x@corp.example', recipient: 'https://other-sp.example/acs' }), /Recipient/],
    ['wrong destination', (f) => idp.answer(spMetadata, f.location, { email: 'x@corp.example', destination: 'https://other-sp.example/acs' }), /Destination/],
    ['expired', (f) => idp.answer(spMetadata, f.location, { email: 'x@corp.example', notBefore: -900, notOnOrAfter: -600 }), /expired/],
    ['unknown InResponseTo', (f) => idp.answer(spMetadata, f.location, { email: 'x@corp.example', inResponseTo: '_0123456789abcdef' }), /no pending sign-in/],
    ['RelayState of another request', async (f) => ({ ...await idp.answer(spMetadata, f.location, { email: 'x@corp.example' }), RelayState: 'another' }), /RelayState/],
  ];
  for (const [name, make, reason] of cases) {
    const flow = await toIdp();
    const answered = await post(flow.browser, await make(flow));
    expect({ name, status: answered.status }).toEqual({ name, status: 400 });
    expect({ name, html: answered.html }).toEqual({ name, html: expect.stringMatching(reason) });
  }
  expect(await server.sql('select 1 from handle where value = $1', ['x@corp.example'])).toEqual([]);
  // A valid response without an email (no claimed attribute, a persistent NameID): nobody to sign in.
  const flow = await toIdp();
  const nameless = await post(flow.browser, await idp.answer(spMetadata, flow.location, { attributes: { department: 'R&amp;D' }, nameId: 'opaque-42' }));
  expect(nameless.status).toBe(403);
  expect(nameless.html).toMatch(/did not give an email address/);
});

test('a replayed assertion and a spent request are refused; the continue step needs the browser that started', async () => {
  const flow = await toIdp();
  const response = await idp.answer(spMetadata, flow.location, { email: 'replay@corp.example', assertionId: '_replayed-assertion' });
  expect((await post(flow.browser, response)).status).toBe(303);
  // The same response again: its request is spent.
  const again = await post(flow.browser, response);
  expect(again.status).toBe(400);
  expect(again.html).toMatch(/no pending sign-in/);
  // The same assertion ID answering a fresh request: a replay.
  const second = await toIdp();
  const replay = await post(second.browser, await idp.answer(spMetadata, second.location, { email: 'replay@corp.example', assertionId: '_replayed-assertion' }));
  expect(replay.status).toBe(400);
  expect(replay.html).toMatch(/already used/);
  // Posted from another browser, the response completes the request, but only its own browser continues it.
  const third = await toIdp();
  const stranger = new Browser();
  const answered = await post(stranger, await idp.answer(spMetadata, third.location, { email: 'replay@corp.example' }));
  expect(answered.status).toBe(303);
  expect((await stranger.request(answered.location!)).status).toBe(400);
  expect((await third.browser.request(answered.location!)).status).toBe(302);
});

test('the ACS refuses what is not a response; unknown providers and disabled ones are not offered', async () => {
  const flow = await toIdp();
  for (const form of [{}, { SAMLResponse: '%%%' }, { SAMLResponse: Buffer.from('<x/>').toString('base64') }, { SAMLResponse: 'A'.repeat(60_000) }]) {
    expect((await flow.browser.request(acsUrl(), { form: form as Record<string, string> })).status).toBe(400);
  }
  expect((await flow.browser.request(acsUrl(), { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  // An unknown provider id in the sso field.
  const page = await new Browser().request(as.authorization_endpoint! + '?' + new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's',
    code_challenge: 'x'.repeat(43), code_challenge_method: 'S256',
  }));
  expect(page.status).toBe(200);
  // A provider turned off is no longer offered nor started.
  await call(server.url, 'PATCH', `/organizations/sso/saml/provider-credentials/${providerId}`, {
    headers: slashidHeaders(org), json: { enable_in_slashid_oidc_authz_server: false },
  });
  try {
    const browser = new Browser();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'st',
      code_challenge: 'y'.repeat(43), code_challenge_method: 'S256',
    }).toString();
    const off = await browser.request(url);
    expect(off.html).not.toContain(`saml:${providerId}`);
    const forced = await browser.request(formAction(off.html)!, {
      form: { auth_req_id: hidden(off.html, 'auth_req_id')!, csrf_token: hidden(off.html, 'csrf_token')!, sso: `saml:${providerId}` },
    });
    expect(forced.status).toBe(400);
  } finally {
    await call(server.url, 'PATCH', `/organizations/sso/saml/provider-credentials/${providerId}`, {
      headers: slashidHeaders(org), json: { enable_in_slashid_oidc_authz_server: true },
    });
  }
});

test('the SP metadata: entityID, ACS (POST), signed assertions wanted, per issuer', async () => {
  expect(spMetadata).toContain(`entityID="${server.url}/realms/${org.id}/protocol/saml/metadata"`);
  expect(spMetadata).toContain(`Location="${acsUrl()}"`);
  expect(spMetadata).toContain('WantAssertionsSigned="true"');
  const root = await (await fetch(`${server.url}/sso/saml/metadata`)).text();
  expect(root).toContain(`entityID="${server.url}/sso/saml/metadata"`);
  expect((await fetch(`${server.url}/realms/no-such-tenant/protocol/saml/metadata`)).status).toBe(404);
});

test('used assertion ids stay until they expire, then the purge forgets them', async () => {
  const { purgeExpiredOAuthRows } = await import('../../src/domain/oauth/purge.queries.ts');
  await server.sql(`insert into saml_assertion_use (provider_id, assertion_id, expires_at) values ($1, '_old', now() - interval '2 days')`, [providerId]);
  await purgeExpiredOAuthRows(server.db.orm.em.fork());
  const kept = (await server.sql('select assertion_id from saml_assertion_use where provider_id = $1', [providerId])).map((r) => r.assertion_id);
  expect(kept).toContain('_replayed-assertion');
  expect(kept).not.toContain('_old');
});

test('the root issuer is a service provider of its own: its ACS completes a root authorize request', async () => {
  const root = new URL(server.url);
  const rootAs = await oauth.processDiscoveryResponse(root, await oauth.discoveryRequest(root, { algorithm: 'oidc', ...insecure }));
  const rootSp = await (await fetch(`${server.url}/sso/saml/metadata`)).text();
  const browser = new Browser();
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(rootAs.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'st',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  const page = await browser.request(url);
  expect(page.html).toContain(`value="saml:${providerId}"`);
  const started = await browser.request(formAction(page.html)!, {
    form: { auth_req_id: hidden(page.html, 'auth_req_id')!, csrf_token: hidden(page.html, 'csrf_token')!, sso: `saml:${providerId}` },
  });
  expect(SamlTestIdp.readRequest(started.location!).xml).toContain(`AssertionConsumerServiceURL="${server.url}/sso/saml/acs"`);
  const response = await idp.answer(rootSp, started.location!, { email: 'root@corp.example' });
  // The realm's ACS is another service provider: it refuses what was meant for the root one.
  const elsewhere = await browser.request(acsUrl(), { form: response });
  expect(elsewhere.status).toBe(400);
  const answered = await browser.request(`${server.url}/sso/saml/acs`, { form: response });
  expect(answered.status).toBe(303);
  const next = await browser.request(answered.location!);
  const params = oauth.validateAuthResponse(rootAs, rp, new URL(next.location!), 'st');
  const tokens = await oauth.processAuthorizationCodeResponse(rootAs, rp,
    await oauth.authorizationCodeGrantRequest(rootAs, rp, oauth.ClientSecretBasic(secret), params, REDIRECT, verifier, insecure));
  expect(oauth.getValidatedIdTokenClaims(tokens)!.authenticated_methods).toEqual(['saml']);
});

test('the cached metadata is used as stored, and refetched at sign-in once older than a day (kept if the IdP is down)', async () => {
  const stored = async () => (await server.sql('select idp_metadata, metadata_fetched_at from saml_provider where id = $1', [providerId]))[0];
  const fresh = await stored();
  // Down IdP, old copy: the sign-in still starts with the copy kept.
  await server.sql(`update saml_provider set metadata_fetched_at = now() - interval '2 days', idp_metadata = $2 where id = $1`,
    [providerId, fresh.idp_metadata.replace('<', '<!-- old copy --><')]);
  idp.metadataOverride = { status: 503, body: 'down' };
  try {
    await toIdp();
    expect((await stored()).idp_metadata).toContain('old copy');
  } finally { idp.metadataOverride = undefined; }
  // IdP back: the next sign-in refetches.
  await toIdp();
  const after = await stored();
  expect(after.idp_metadata).not.toContain('old copy');
  expect(new Date(after.metadata_fetched_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
});
