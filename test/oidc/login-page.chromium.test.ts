// The hosted login page's zero-knowledge sign-in as a person uses it, in headless Chromium driven
// by playwright-core: an RP (oauth4webapi) starts an authorize request, the person types the
// username and PIN (or draws the pattern) into the page, the page's script proves knowledge of the
// secret and follows the login ticket, and the RP receives the code and the tokens. Wrong secrets
// and blocking show in the page. The page asks for the identifier first (the username), then
// offers that person's methods. Skips itself when Chromium is absent, fails under CI
// (test/oidc/chromium.ts). LOGIN_SCREENSHOT=<dir> saves screenshots of the pages
// (pin.png, error.png, pattern.png).
import * as oauth from 'oauth4webapi';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, FLAGS, describeWithChromium, shot } from './chromium.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, registerUser } from '../helpers/zkp.ts';
import { hashPassword } from '../../src/crypto/password.ts';

const REDIRECT = 'https://zkp-page-app.example/callback';
const insecure = { [oauth.allowInsecureRequests]: true };
describeWithChromium('headless Chromium end to end')('the login page in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const tenants: Record<string, { org: TestOrg; as: oauth.AuthorizationServer; rp: oauth.Client; secret: string }> = {};

  async function tenant(name: string, settings: Record<string, unknown>) {
    const org = await server.createOrg(name);
    await enableRegistration(server.url, org, org.id, settings);
    const created = await call(server.url, 'POST', '/clients', {
      headers: vaultHeaders(org),
      json: { client_id: `page-${name}`, name: `Page ${name}`, tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
    });
    const issuer = new URL(`${server.url}/realms/${org.id}`);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    tenants[name] = { org, as, rp: { client_id: `page-${name}` }, secret: created.body.client_secret };
  }

  /** Opens the authorize request in a fresh browser context; the RP's redirect URI is answered locally. */
  async function openLoginPage(name: string, options: { javaScriptEnabled?: boolean } = {}) {
    const { as, rp } = tenants[name];
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state, nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.route((u) => u.href.startsWith(REDIRECT), (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    const landed = page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 20_000 }).then((r) => r.url());
    landed.catch(() => {}); // a test that does not sign in never lands
    const response = await page.goto(url.toString());
    expect(response!.status()).toBe(200);
    return { page, context, verifier, state, nonce, problems, landed };
  }

  /** Waits for the browser to land on the RP's redirect URI, then redeems the code as the RP. */
  async function tokensAfterRedirect(name: string, flow: Awaited<ReturnType<typeof openLoginPage>>) {
    const { as, rp, secret } = tenants[name];
    const params = oauth.validateAuthResponse(as, rp, new URL(await flow.landed), flow.state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
      await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(secret), params, REDIRECT, flow.verifier, insecure),
      { expectedNonce: flow.nonce, requireIdToken: true });
    return oauth.getValidatedIdTokenClaims(tokens)!;
  }

  /** The identifier step: types `handle`, continues, and waits for that person's methods. */
  async function continueAs(page: Page, handle: string) {
    await page.fill('#handle', handle);
    await Promise.all([page.waitForURL(/\/auth\/login$/), page.click('button[value=identifier]')]);
    await page.waitForSelector('#signing-in-as');
  }

  const userId = async (name: string, username: string) => (await call(server.url, 'GET',
    `/tenants/${tenants[name].org.id}/users/by-username/${username}`, { headers: vaultHeaders(tenants[name].org) })).body.user_id;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    await tenant('pin', { show_pin_when_typing: false, block_config: { ip_attempts_limit: 1000, user_attempts_limit: 2, initial_block_seconds: 120 } });
    await tenant('pattern', { login_order: ['PATTERN', 'PIN'], use_pattern: true, patter_size: 3 });
    await registerUser(server.url, tenants.pin.org.id, 'kim', '246810');
    await registerUser(server.url, tenants.pin.org.id, 'lee', '135791');
    // sam holds a PIN and a password: both methods are on the page
    await registerUser(server.url, tenants.pin.org.id, 'sam', '975310');
    const [sam] = await server.sql<{ id: string }>(`select person_id as id from handle where organization_id = $1 and normalized = 'sam'`, [tenants.pin.org.id]);
    await server.sql(`insert into credential (id, organization_id, person_id, type, secret, created_at, updated_at) values (gen_random_uuid(), $1, $2, 'password', $3, now(), now())`,
      [tenants.pin.org.id, sam.id, await hashPassword('sam password')]);
    await registerUser(server.url, tenants.pattern.org.id, 'pat', '1-5-9-6');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('types the username and PIN, and the RP receives the code and tokens for that user', async () => {
    const flow = await openLoginPage('pin');
    const { page } = flow;
    await continueAs(page, 'Kim'); // usernames are case-insensitive
    await expect(page.locator('#zkp').isVisible()).resolves.toBe(true);
    await expect(page.locator('#zkp-pin').getAttribute('type')).resolves.toBe('password');
    await expect(page.locator('#password').count()).resolves.toBe(0); // kim has no password
    await page.fill('#zkp-pin', '246810');
    await shot(page, 'pin');
    await page.click('button[data-method=PIN]');
    const claims = await tokensAfterRedirect('pin', flow);
    expect(claims.sub).toBe(await userId('pin', 'kim'));
    expect(flow.problems).toEqual([]); // no CSP violation, no script error
    await flow.context.close();
  });

  /** Submits with `how`, waits for the script to finish, and answers the error shown. */
  async function attempt(page: Page, how: () => Promise<void>) {
    await how();
    await page.waitForSelector('#zkp:not([aria-busy])');
    return (await page.isVisible('#zkp-error')) ? page.textContent('#zkp-error') : null;
  }

  test('a wrong PIN shows an error in the page, and a blocked user is told when to try again', async () => {
    const flow = await openLoginPage('pin');
    const { page } = flow;
    await continueAs(page, 'lee');
    await page.fill('#zkp-pin', '000000');
    await expect(attempt(page, () => page.press('#zkp-pin', 'Enter'))).resolves.toBe('Wrong username or PIN');
    expect(await page.inputValue('#zkp-pin')).toBe('');
    // user_attempts_limit 2: the second failure blocks lee; then even the right PIN is refused with Retry-After
    await page.fill('#zkp-pin', '111111');
    await expect(attempt(page, () => page.click('button[data-method=PIN]'))).resolves.toBe('Wrong username or PIN');
    await page.fill('#zkp-pin', '135791');
    await expect(attempt(page, () => page.click('button[data-method=PIN]')))
      .resolves.toMatch(/^Too many failed attempts: try again in \d+ (seconds|minutes)$/);
    expect(page.url()).not.toContain(REDIRECT);
    await shot(page, 'error');
    // a short PIN is caught in the page, before any request
    await page.fill('#zkp-pin', '12');
    await expect(attempt(page, () => page.click('button[data-method=PIN]'))).resolves.toBe('Enter your 6-digit PIN');
    // the browser logs the failed fetches (401, 429); nothing else went wrong
    expect(flow.problems.filter((p) => !/status of (401|429)/.test(p))).toEqual([]);
    await flow.context.close();
  });

  test('draws the pattern (login_order puts it first) and signs in', async () => {
    const flow = await openLoginPage('pattern');
    const { page } = flow;
    await continueAs(page, 'pat');
    const html = await page.content();
    expect(html.indexOf('id="zkp-pattern"')).toBeLessThan(html.indexOf('id="zkp-pin"'));
    for (const cell of [1, 5, 9, 6]) await page.click(`button[data-cell="${cell}"]`);
    await expect(page.locator('button[data-cell="9"]').textContent()).resolves.toBe('3');
    await shot(page, 'pattern');
    await page.click('button[data-method=PATTERN]');
    const claims = await tokensAfterRedirect('pattern', flow);
    expect(claims.sub).toBe(await userId('pattern', 'pat'));
    await flow.context.close();
  });

  test('without JavaScript the identifier step works, the method stays hidden and the password form is what shows', async () => {
    const flow = await openLoginPage('pin', { javaScriptEnabled: false });
    await continueAs(flow.page, 'sam');
    await expect(flow.page.locator('#zkp').count()).resolves.toBe(1);
    await expect(flow.page.locator('#zkp').isVisible()).resolves.toBe(false);
    await expect(flow.page.locator('#password').isVisible()).resolves.toBe(true);
    await flow.context.close();
  });
});
