// Passkeys on the hosted sign-in page in real Chromium (playwright-core), with a CDP virtual
// authenticator (WebAuthn.addVirtualAuthenticator: internal, resident keys, user verification)
// standing in for a phone or a security key. An RP (oauth4webapi) starts each authorize request;
// the person signs in with a password and accepts the offer to create a passkey; then signs in
// usernameless with it, and identifier first with each method; a tampered signature and a
// replayed assertion are refused. The server's PUBLIC_URL is http://localhost:<port>: a secure
// context, and `localhost` a valid RP id. LOGIN_SCREENSHOT=<dir> saves each step (passkey-*.png).
import * as oauth from 'oauth4webapi';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM, FLAGS, describeWithChromium, freePort, shot } from './chromium.ts';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, registerUser } from '../helpers/zkp.ts';
import { createPersonWithPassword } from './browser.ts';

const REDIRECT = 'https://passkey-app.example/callback';
const insecure = { [oauth.allowInsecureRequests]: true };

describeWithChromium('passkeys in headless Chromium')('passkeys on the sign-in page in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let org: TestOrg;
  let as: oauth.AuthorizationServer;
  let secret: string;
  let patId: string;
  /** The passkey the virtual authenticator created, carried into later browser contexts. */
  let credential: any;
  const rp: oauth.Client = { client_id: 'passkey-app' };

  beforeAll(async () => {
    const port = await freePort();
    server = await startTestServer({ port, publicUrl: `http://localhost:${port}`, outboxPollMs: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    org = await server.createOrg('Passkeys');
    await enableRegistration(server.url, org, org.id, { passkey_enabled: true, display_name: 'Passkey tenant' });
    const created = await call(server.url, 'POST', '/clients', {
      headers: vaultHeaders(org),
      json: { client_id: rp.client_id, name: 'Passkey app', tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
    });
    secret = created.body.client_secret;
    const issuer = new URL(`http://localhost:${port}/realms/${org.id}`);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    patId = await createPersonWithPassword(server, org.id, [{ type: 'email_address', value: 'pat@example.com' }], 'pat password');
    await registerUser(server.url, org.id, 'kim', '246810');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  interface Flow { page: Page; context: BrowserContext; cdp: CDPSession; authenticatorId: string; verifier: string; state: string; landed: Promise<string>; problems: string[] }

  /**
   * A fresh browser context with a virtual authenticator (holding `withCredential` when given), on
   * the RP's authorize request. A credential present when the first step loads answers its
   * conditional-mediation request by itself (the virtual authenticator simulates the person's
   * choice), so tests that drive a button add the passkey afterwards (`addPasskey`).
   */
  async function openSignIn(withCredential?: any, { conditional = true } = {}): Promise<Flow> {
    const context = await browser.newContext();
    // A browser without passkey autofill: the button is the only way (no conditional request racing it).
    if (!conditional) await context.addInitScript({ content: 'PublicKeyCredential.isConditionalMediationAvailable = async () => false;' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    if (withCredential) await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: withCredential });
    await page.route((u) => u.href.startsWith(REDIRECT), (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }));
    const landed = page.waitForRequest((r) => r.url().startsWith(REDIRECT), { timeout: 20_000 }).then((r) => r.url());
    landed.catch(() => {});
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    expect((await page.goto(url.toString()))!.status()).toBe(200);
    return { page, context, cdp, authenticatorId, verifier, state, landed, problems };
  }

  const addPasskey = (flow: Flow) => flow.cdp.send('WebAuthn.addCredential', { authenticatorId: flow.authenticatorId, credential });

  async function subjectAfterRedirect(flow: Flow) {
    const params = oauth.validateAuthResponse(as, rp, new URL(await flow.landed), flow.state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp,
      await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(secret), params, REDIRECT, flow.verifier, insecure));
    return oauth.getValidatedIdTokenClaims(tokens)!.sub;
  }

  async function continueAs(page: Page, handle: string) {
    await page.fill('#handle', handle);
    await Promise.all([page.waitForURL(/\/auth\/login$/), page.click('button[value=identifier]')]);
    await page.waitForSelector('#signing-in-as');
  }

  test('register: a password sign-in, then the offered passkey is created in the authenticator', async () => {
    const flow = await openSignIn();
    const { page } = flow;
    await page.waitForSelector('#passkey:not([hidden])');
    await page.waitForTimeout(300); // a conditional request with no passkey for the site fails quietly
    await expect(page.locator('#passkey-error').isVisible()).resolves.toBe(false);
    await shot(page, 'passkey-1-identifier');
    await continueAs(page, 'pat@example.com');
    await shot(page, 'passkey-2-methods-password');
    await expect(page.locator('#passkey').isVisible()).resolves.toBe(false); // pat has no passkey yet
    await page.fill('#password', 'pat password');
    await Promise.all([page.waitForSelector('#passkey-enrol:not([hidden])'), page.click('#password-form button[type=submit]')]);
    await shot(page, 'passkey-3-enrol-offer');
    await page.click('#passkey-create');
    expect(await subjectAfterRedirect(flow)).toBe(patId);
    const { credentials } = await flow.cdp.send('WebAuthn.getCredentials', { authenticatorId: flow.authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    credential = credentials[0];
    const [row] = await server.sql(`select label, params->>'webauthn_credential_id' as id from credential where person_id = $1 and type = 'public-key'`, [patId]);
    expect(row.id).toBe(Buffer.from(credential.credentialId, 'base64').toString('base64url'));
    expect(flow.problems).toEqual([]);
    await flow.context.close();
  });

  test('usernameless through conditional mediation: the browser offers the passkey on the first step by itself', async () => {
    const flow = await openSignIn(credential);
    expect(await subjectAfterRedirect(flow)).toBe(patId);
    credential = (await flow.cdp.send('WebAuthn.getCredentials', { authenticatorId: flow.authenticatorId })).credentials[0];
    await flow.context.close();
  });

  test('usernameless: "Sign in with a passkey" on the first step, and the RP gets that person', async () => {
    const flow = await openSignIn(undefined, { conditional: false });
    await flow.page.waitForSelector('#passkey:not([hidden])');
    await addPasskey(flow);
    await flow.page.click('#passkey-start');
    expect(await subjectAfterRedirect(flow)).toBe(patId);
    const { credentials } = await flow.cdp.send('WebAuthn.getCredentials', { authenticatorId: flow.authenticatorId });
    expect(credentials[0].signCount).toBeGreaterThan(credential.signCount);
    credential = credentials[0];
    await flow.context.close();
  });

  test('identifier first, each method: passkey, password, PIN', async () => {
    // passkey, offered because pat holds one now
    let flow = await openSignIn(undefined, { conditional: false });
    await continueAs(flow.page, 'pat@example.com');
    await flow.page.waitForSelector('#passkey:not([hidden])');
    await addPasskey(flow);
    await expect(flow.page.locator('#zkp').count()).resolves.toBe(0);
    await shot(flow.page, 'passkey-4-methods-passkey');
    await flow.page.click('#passkey-start');
    expect(await subjectAfterRedirect(flow)).toBe(patId);
    credential = (await flow.cdp.send('WebAuthn.getCredentials', { authenticatorId: flow.authenticatorId })).credentials[0];
    await flow.context.close();
    // password: no enrolment offer for someone who has a passkey
    flow = await openSignIn();
    await continueAs(flow.page, 'pat@example.com');
    await flow.page.fill('#password', 'pat password');
    await flow.page.click('#password-form button[type=submit]');
    expect(await subjectAfterRedirect(flow)).toBe(patId);
    await flow.context.close();
    // PIN: kim holds a ZKP secret and nothing else
    flow = await openSignIn();
    await continueAs(flow.page, 'kim');
    await expect(flow.page.locator('#password').count()).resolves.toBe(0);
    await expect(flow.page.locator('#passkey').count()).resolves.toBe(0);
    await shot(flow.page, 'passkey-5-methods-pin');
    await flow.page.fill('#zkp-pin', '246810');
    await flow.page.click('button[data-method=PIN]');
    const kimId = (await call(server.url, 'GET', `/tenants/${org.id}/users/by-username/kim`, { headers: vaultHeaders(org) })).body.user_id;
    expect(await subjectAfterRedirect(flow)).toBe(kimId);
    await flow.context.close();
  });

  test('a tampered signature is refused in the page; a replayed assertion is refused', async () => {
    const flow = await openSignIn(undefined, { conditional: false });
    const { page } = flow;
    await page.waitForSelector('#passkey:not([hidden])');
    // the first answer goes out with one bit of its signature flipped
    let captured: string | undefined;
    let tamper = true;
    await page.route('**/webauthn/authenticate/verify**', async (route) => {
      const body = JSON.parse(route.request().postData()!);
      if (!tamper) {
        captured = route.request().postData()!;
        return route.continue();
      }
      tamper = false;
      const signature = Buffer.from(body.signature, 'base64url');
      signature[signature.length - 1] ^= 0x01;
      await route.continue({ postData: JSON.stringify({ ...body, signature: signature.toString('base64url') }) });
    });
    await addPasskey(flow);
    await page.click('#passkey-start');
    await page.waitForSelector('#passkey-error:not([hidden])');
    await expect(page.textContent('#passkey-error')).resolves.toBe('That passkey was not accepted: try again or use another method');
    await shot(page, 'passkey-6-refused');
    expect(page.url()).not.toContain(REDIRECT);
    // the untouched answer signs in; sent again, it is refused (its challenge is spent)
    await page.click('#passkey-start');
    expect(await subjectAfterRedirect(flow)).toBe(patId);
    const replay = await fetch(`${server.url}/webauthn/authenticate/verify?tenant_id=${org.id}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: captured,
    });
    expect(replay.status).toBe(401);
    await flow.context.close();
  });
});
