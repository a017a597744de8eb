// An attacker's SAML responses at the ACS (security review of issue 17): responses signed by the
// organization's real IdP, then tampered with: a comment inside the NameID or the email, an
// unsigned assertion wrapped around or beside the signed one, DOCTYPE entities, deep nesting; a
// response posted to another organization's ACS; a provider turned off after the sign-in started.
// Each is refused with a page (4xx), and nobody is signed in as the victim.
import * as oauth from 'oauth4webapi';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders, vaultHeaders } from '../helpers/http.ts';
import { SamlTestIdp } from '../helpers/saml-idp.ts';
import { createPersonWithPassword } from './browser.ts';
import { Browser, hidden, formAction } from './browser.ts';

const insecure = { [oauth.allowInsecureRequests]: true };
const REDIRECT = 'https://saml-app.example/callback';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
let server: TestServer;
let org: TestOrg;
let other: TestOrg;
let idp: SamlTestIdp;
let providerId: string;
let as: oauth.AuthorizationServer;
let spMetadata: string;
let victimId: string;
const rp: oauth.Client = { client_id: 'saml-app' };

beforeAll(async () => {
  server = await startTestServer({ ssoAllowHttpLoopback: true, outboxPollMs: 0 });
  org = await server.createOrg('SAML tenant');
  other = await server.createOrg('Other tenant');
  idp = await SamlTestIdp.start();
  await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(org),
    json: { client_id: rp.client_id, name: 'SAML app', tenant_id: org.id, redirect_uris: [REDIRECT], allowed_scopes: ['openid'] },
  });
  const provider = await call(server.url, 'POST', '/organizations/sso/saml/provider-credentials', {
    headers: slashidHeaders(org),
    json: { idp_metadata_url: idp.metadataUrl, label: 'Corp IdP', email_claims: ['email'], enable_in_slashid_oidc_authz_server: true },
  });
  expect(provider.status).toBe(201);
  providerId = provider.body.result.id;
  const issuer = new URL(`${server.url}/realms/${org.id}`);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  spMetadata = await (await fetch(`${issuer}/protocol/saml/metadata`)).text();
  victimId = await createPersonWithPassword(server, org.id, [{ type: 'email_address', value: 'victim@corp.example' }], 'victim pw 12345');
  await server.sql('update person set is_verified = true where id = $1', [victimId]);
});
afterAll(async () => { await idp.close(); await server.close(); });

async function toIdp() {
  const browser = new Browser();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: rp.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'st',
    code_challenge: 'c'.repeat(43), code_challenge_method: 'S256',
  }).toString();
  const page = await browser.request(url);
  const started = await browser.request(formAction(page.html.slice(page.html.indexOf('id="sso-form"') - 60))!, {
    form: { auth_req_id: hidden(page.html, 'auth_req_id')!, csrf_token: hidden(page.html, 'csrf_token')!, sso: `saml:${providerId}` },
  });
  expect(started.status).toBe(303);
  return { browser, location: started.location!, authReqId: hidden(page.html, 'auth_req_id')! };
}

const acsOf = (o: TestOrg) => `${server.url}/realms/${o.id}/protocol/saml/acs`;
const xmlOf = (form: { SAMLResponse: string }) => Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

/** Whom the authorize request of `authReqId` was completed for (null: nobody). */
async function completedFor(authReqId: string): Promise<string | null> {
  const [row] = await server.sql('select person_id from authorize_request where id = $1', [authReqId]);
  return (row?.person_id as string | undefined) ?? null;
}

async function expectRefused(flow: Awaited<ReturnType<typeof toIdp>>, form: { SAMLResponse: string; RelayState: string }, acs = acsOf(org)) {
  const answered = await flow.browser.request(acs, { form });
  expect({ status: answered.status, location: answered.location ?? null }).toEqual({ status: expect.any(Number), location: null });
  expect(answered.status).toBeGreaterThanOrEqual(400);
  expect(answered.status).toBeLessThan(500);
  expect(await completedFor(flow.authReqId)).not.toBe(victimId);
  return answered;
}

test('a comment inside the signed NameID or email never shortens it to the victim\'s address', async () => {
  const comment = (xml: string) => xml.replace('victim@corp.example.evil.example', 'victim@corp.example<!---->.evil.example');
  for (const options of [
    { nameId: 'victim@corp.example.evil.example', nameIdFormat: EMAIL_FORMAT, attributes: {}, beforeSigning: comment },
    { email: 'victim@corp.example.evil.example', beforeSigning: comment },
  ]) {
    const flow = await toIdp();
    const form = await idp.answer(spMetadata, flow.location, options);
    expect(xmlOf(form)).toContain('<!---->');
    const answered = await flow.browser.request(acsOf(org), { form });
    expect(answered.status).toBeLessThan(500);
    expect(await completedFor(flow.authReqId)).not.toBe(victimId);
  }
});

test('signature wrapping: an unsigned assertion beside or around the signed one is refused', async () => {
  const flow = await toIdp();
  const form = await idp.answer(spMetadata, flow.location, { email: 'attacker@corp.example' });
  const xml = xmlOf(form);
  const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
  const evil = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replaceAll('attacker@corp.example', 'victim@corp.example')
    .replace(/ID="[^"]+"/, 'ID="_evil"');
  const variants = [
    xml.replace(signed, evil + signed), // injected first
    xml.replace(signed, signed + evil), // injected after
    xml.replace(signed, evil.replace('</saml:Assertion>', `<saml:Advice>${signed}</saml:Advice></saml:Assertion>`)), // signed one wrapped
  ];
  for (const variant of variants) {
    const again = await toIdp();
    const relayed = xmlOf(await idp.answer(spMetadata, again.location, { email: 'attacker@corp.example' }));
    const inResponseTo = /InResponseTo="([^"]+)"/.exec(relayed)![1]!;
    const original = /InResponseTo="([^"]+)"/.exec(xml)![1]!;
    // Bound to this flow's request (the signed part still names the first flow's, so the checks refuse either way).
    await expectRefused(again, { SAMLResponse: encode(variant.replaceAll(original, inResponseTo)), RelayState: again.authReqId });
  }
  // Untouched signature, the victim's assertion injected before it: two assertions are refused outright.
  for (const variant of [variants[0]!]) {
    const answered = await flow.browser.request(acsOf(org), { form: { SAMLResponse: encode(variant), RelayState: flow.authReqId } });
    const person = await completedFor(flow.authReqId);
    expect({ person: person === victimId ? 'victim' : person, status: answered.status }).toEqual({ person: null, status: 400 });
  }
});

test('DOCTYPE, entities and deep nesting are a 400 page, never a 500', async () => {
  const flow = await toIdp();
  const xml = xmlOf(await idp.answer(spMetadata, flow.location, { email: 'attacker@corp.example' }));
  const doctype = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
  const entity = doctype + xml.replace(/^<\?xml[^>]*\?>/, '').replace('attacker@corp.example', '&e;&b;');
  const deep = xml.replace('</samlp:Response>', `${'<x>'.repeat(4_000)}${'</x>'.repeat(4_000)}</samlp:Response>`);
  for (const [body, reason] of [[entity, /DOCTYPE|no pending sign-in/], [deep, /not valid SAML|could not be verified/]] as const) {
    const answered = await flow.browser.request(acsOf(org), { form: { SAMLResponse: encode(body), RelayState: flow.authReqId } });
    expect(answered.status).toBe(400);
    expect(answered.html).toMatch(reason);
  }
});

test('a response for this organization posted to another organization\'s ACS is refused there', async () => {
  const flow = await toIdp();
  const form = await idp.answer(spMetadata, flow.location, { email: 'victim@corp.example' });
  const answered = await expectRefused(flow, form, acsOf(other));
  expect(answered.html).toMatch(/another issuer|audience|Destination|Recipient/);
});

test('a provider turned off after the sign-in started: its response no longer signs anyone in', async () => {
  const flow = await toIdp();
  const form = await idp.answer(spMetadata, flow.location, { email: 'victim@corp.example' });
  await call(server.url, 'PATCH', `/organizations/sso/saml/provider-credentials/${providerId}`, {
    headers: slashidHeaders(org), json: { enable_in_slashid_oidc_authz_server: false },
  });
  try {
    const answered = await expectRefused(flow, form);
    expect(answered.html).toMatch(/no longer offered/);
  } finally {
    await call(server.url, 'PATCH', `/organizations/sso/saml/provider-credentials/${providerId}`, {
      headers: slashidHeaders(org), json: { enable_in_slashid_oidc_authz_server: true },
    });
  }
});

test('an oversize form is a 4xx page, and the server keeps answering', async () => {
  const flow = await toIdp();
  const big = await flow.browser.request(acsOf(org), { form: { SAMLResponse: 'A'.repeat(300_000), RelayState: flow.authReqId } })
    .then((r) => r.status, (e: Error) => e.message);
  expect([400, 413]).toContain(big);
  expect((await fetch(`${server.url}/realms/${org.id}/protocol/saml/metadata`)).status).toBe(200);
});
