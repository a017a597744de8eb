// SAML sign-in in real Chromium (playwright-core): the login page's "Continue with Corp IdP" →
// the IdP (the tests' samlify IdP on another origin, answering with a self-submitting form as real
// IdPs do) → the cross-site POST to our ACS → authorize/continue (where the SameSite=Lax binding
// cookie must be back) → the app's redirect with a code → tokens with method saml.
import * as oauth from 'oauth4webapi';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, FLAGS, describeWithChromium, freePort, shot } from './chromium.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { SamlTestIdp } from '../helpers/saml-idp.ts';

const REDIRECT = 'https://saml-browser-app.example/callback';
const insecure = { [oauth.allowInsecureRequests]: true };

describeWithChromium('SAML sign-in in headless Chromium')('SAML sign-in on the hosted page in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let org: TestOrg;
  let idp: SamlTestIdp;
  let as: oauth.AuthorizationServer;
  let secret: string;
  const rp: oauth.Client = { client_id: 'saml-browser-app' };

  beforeAll(async () => {
    const port = await freePort();
    server = await startTestServer({ port, publicUrl: `http://localhost:${port}`, outboxPollMs: 0, ssoAllowHttpLoopback: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    org = await server.createOrg('SAML in a browser');
    idp = await SamlTestIdp.start();
    const created = await call(server.url, 'POST', '/clients', {
      headers: vaultHeaders(org),
      json: { client_id: rp.client_id, name: 'SAML browser app', tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
    });
    secret = created.body.client_secret;
    expect((await call(server.url, 'POST', '/organizations/sso/saml/provider-credentials', {
      headers: slashidHeaders(org),
      json: { idp_metadata_url: idp.metadataUrl, label: 'Corp IdP', email_claims: ['email'], enable_in_slashid_oidc_authz_server: true },
    })).status).toBe(201);
    const issuer = new URL(`http://localhost:${port}/realms/${org.id}`);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    idp.autoAnswer = { spMetadata: await (await fetch(`${issuer}/protocol/saml/metadata`)).text(), options: { email: 'dana@corp.example' } };
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await server?.close();
  });

  test('Continue with Corp IdP → IdP → ACS → code → tokens with method saml', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.route((u) => u.href.startsWith(REDIRECT), (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    const landed = page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 20_000 }).then((r) => r.url());
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    expect((await page.goto(url.toString()))!.status()).toBe(200);
    await shot(page, 'saml-1-identifier');
    await page.click('button.sso[data-kind="saml"]');
    const params = oauth.validateAuthResponse(as, rp, new URL(await landed), state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
      await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(secret), params, REDIRECT, verifier, insecure));
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims.authenticated_methods).toEqual(['saml']);
    expect(claims.authentications).toEqual([expect.objectContaining({ method: 'saml', handle: { type: 'email_address', value: 'dana@corp.example' } })]);
    expect(problems).toEqual([]);
    await context.close();
  }, 30_000);
});
