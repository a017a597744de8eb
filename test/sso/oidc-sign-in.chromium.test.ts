// Brokered OpenID Connect sign-in as a person does it, in headless Chromium (playwright-core): the
// RP's authorize request opens idgraph's sign-in page, the person clicks "Continue with Corp IdP",
// signs in and consents at the upstream (oidc-provider's dev interactions), comes back through
// idgraph's callback, and the RP receives the code; its ID token says the person signed in with
// oidc and which email. Skips itself when Chromium is absent, fails under CI (test/oidc/chromium.ts).
import * as client from 'openid-client';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, FLAGS, describeWithChromium, shot } from '../oidc/chromium.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { startUpstreamOp, UPSTREAM_CLIENT, type UpstreamOp } from './upstream-op.ts';

const REDIRECT = 'https://sso-app.example/callback';

describeWithChromium('headless Chromium end to end')('brokered OIDC sign-in in headless Chromium', () => {
  let server: TestServer;
  let op: UpstreamOp;
  let acme: TestOrg;
  let config: client.Configuration;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ ssoAllowHttpLoopback: true });
    acme = await server.createOrg('Acme');
    op = await startUpstreamOp([`${server.url}/oauth2/sso/oidc/callback`]);
    const rp = await call(server.url, 'POST', '/clients', {
      headers: vaultHeaders(acme), json: { tenant_id: acme.id, client_id: 'sso-app', name: 'SSO App', redirect_uris: [REDIRECT], allowed_scopes: ['openid', 'email'] },
    });
    config = await client.discovery(new URL(server.url), 'sso-app', {}, client.ClientSecretPost(rp.body.client_secret), { execute: [client.allowInsecureRequests] });
    expect((await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', {
      headers: slashidHeaders(acme),
      json: { client_id: UPSTREAM_CLIENT.id, client_secret: UPSTREAM_CLIENT.secret, provider: 'oidc', label: 'Corp IdP', options: { oidc: { issuer: op.issuer } }, enable_in_slashid_oidc_authz_server: true },
    })).status).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 60_000);
  afterAll(async () => { await browser?.close(); await op?.close(); await server?.close(); });

  test('Continue with Corp IdP → upstream login and consent → back at the app with a code', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid email', state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.route((u) => u.href.startsWith(REDIRECT), (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    const landed = page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 30_000 }).then((r) => r.url());
    landed.catch(() => {}); // awaited below; a failed step reports itself first

    expect((await page.goto(url.href))!.status()).toBe(200);
    await shot(page, 'sso-sign-in');
    await page.getByRole('button', { name: 'Continue with Corp IdP' }).click();
    await page.waitForURL((u) => u.href.startsWith(op.issuer));
    await page.fill('input[name="login"]', 'ada');
    await page.fill('input[name="password"]', 'any password');
    await shot(page, 'sso-upstream-login');
    await page.click('button[type="submit"]');
    await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached' });
    await page.click('button[type="submit"]');

    const back = new URL(await landed);
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    expect(claims.authenticated_methods).toEqual(['oidc']);
    expect(claims.authentications).toEqual([expect.objectContaining({ method: 'oidc', handle: { type: 'email_address', value: 'ada@corp.example' } })]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
