// Security review of brokered sign-in (issue 17), the OIDC side: where idgraph may connect for an
// upstream provider (SSRF: private addresses in any spelling, names that resolve to them), and
// which upstream emails may reach a person (look-alike characters that fold onto another address).
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { createPersonWithPassword } from '../oidc/browser.ts';
import { assertUpstreamUrl, fetchUpstreamJson } from '../../src/domain/sso/provider-metadata.ts';
import { assertPublicUpstream, InwardUpstreamAddress } from '../../src/domain/sso/upstream-address.ts';
import { isInwardAddress } from '../../src/domain/webhook/transport.ts';
import { isLookAlikeEmail, linkUpstreamIdentity } from '../../src/domain/sso/upstream-identity.ts';
import { Forbidden, ServiceUnavailable, ValidationFailed } from '../../src/domain/errors.ts';

let server: TestServer;
let acme: TestOrg;
let kimId: string;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  kimId = await createPersonWithPassword(server, acme.id, [{ type: 'email_address', value: 'kim@corp.example' }], 'kim pw 12345');
  await server.sql('update person set is_verified = true where id = $1', [kimId]);
});
afterAll(() => server.close());

const off = { allowHttpLoopback: false };

test('upstream URLs: no private or loopback host in any spelling when the loopback flag is off', () => {
  for (const raw of [
    'https://127.0.0.1/.well-known/openid-configuration', 'https://2130706433/x', 'https://0x7f.0.0.1/x', 'https://0177.0.0.1/x',
    'https://[::1]/x', 'https://[::ffff:127.0.0.1]/x', 'https://[::ffff:7f00:1]/x', 'https://[::127.0.0.1]/x', 'https://[64:ff9b::a00:1]/x',
    'https://10.0.0.5/x', 'https://169.254.169.254/latest/meta-data', 'https://192.168.1.1/x', 'https://[fd00::1]/x',
    'https://localhost/x', 'https://LOCALHOST./x', 'https://idp.localhost/x', 'https://0.0.0.0/x',
  ]) {
    expect({ raw, refused: (() => { try { assertUpstreamUrl(raw, off); return false; } catch (e) { return e instanceof ValidationFailed; } })() })
      .toEqual({ raw, refused: true });
  }
  expect(assertUpstreamUrl('https://accounts.google.com/.well-known/openid-configuration', off).hostname).toBe('accounts.google.com');
  expect(assertUpstreamUrl('https://8.8.8.8/x', off).hostname).toBe('8.8.8.8');
  // With the flag (development, tests): the loopback over http too, still not the rest.
  expect(assertUpstreamUrl('http://127.0.0.1:9/x', { allowHttpLoopback: true }).port).toBe('9');
  expect(() => assertUpstreamUrl('https://10.0.0.5/x', { allowHttpLoopback: true })).toThrow(ValidationFailed);
});

test('isInwardAddress knows the hex IPv6 spellings of private IPv4 addresses', () => {
  for (const a of ['::ffff:7f00:1', '::ffff:a00:1', '::7f00:1', '64:ff9b::7f00:1', '::ffff:127.0.0.1', '::1', '::']) expect({ a, inward: isInwardAddress(a) }).toEqual({ a, inward: true });
  for (const a of ['::ffff:808:808', '2001:4860:4860::8888', '8.8.8.8']) expect({ a, inward: isInwardAddress(a) }).toEqual({ a, inward: false });
});

test('a host name that resolves to the loopback is refused before any request', async () => {
  // "localhost" stands for any name whose DNS answer is 127.0.0.1 (the name rule is bypassed here).
  await expect(assertPublicUpstream(new URL('https://localhost:1/x'), false)).rejects.toBeInstanceOf(InwardUpstreamAddress);
  for (const host of ['runsc', 'vm']) { // /etc/hosts names of this sandbox, when present
    await assertPublicUpstream(new URL(`https://${host}:1/x`), false).then(() => undefined, (e: unknown) => expect(e).toBeInstanceOf(InwardUpstreamAddress));
  }
  await expect(assertPublicUpstream(new URL('http://127.0.0.1:1/x'), true)).resolves.toBeUndefined();
  const settings = { allowHttpLoopback: false, timeoutMs: 1000 } as never;
  await expect(fetchUpstreamJson(new URL('https://localhost:1/.well-known/openid-configuration'), settings)).rejects.toThrow(/not reachable from here/);
  await expect(fetchUpstreamJson(new URL('https://localhost:1/.well-known/openid-configuration'), settings)).rejects.toBeInstanceOf(ServiceUnavailable);
});

test('the credentials API refuses an issuer on a private address (400, the dialect\'s shape)', async () => {
  const created = await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', {
    headers: slashidHeaders(acme),
    json: { client_id: 'c', client_secret: 's', provider: 'oidc', label: 'Internal', enable_in_slashid_oidc_authz_server: true,
      options: { oidc: { issuer: 'https://[::ffff:169.254.169.254]' } } },
  });
  expect(created.status).toBe(400);
  expect(JSON.stringify(created.body)).toMatch(/public host/);
});

const link = (email: string, subject: string) => linkUpstreamIdentity(server.db.orm.em.fork(), {
  organizationId: acme.id, kind: 'oidc', providerId: 'lookalike-idp', providerLabel: 'Lax IdP', subject, email, emailVerified: true,
});

test('look-alike emails (Kelvin sign, fullwidth, ligatures, invisible characters) never reach the person they imitate', async () => {
  for (const [email, subject] of [
    ['\u212Aim@corp.example', 'kelvin'], ['ｋｉｍ@corp.example', 'fullwidth'], ['kim@corp.exa\uFB00mple', 'ligature'], ['ki\u200Bm@corp.example', 'zwsp'],
  ] as const) {
    const outcome = await link(email, subject).then((l) => l.personId, (e: unknown) => e);
    expect({ subject, same: outcome === kimId }).toEqual({ subject, same: false });
    expect({ subject, refused: outcome instanceof Forbidden }).toEqual({ subject, refused: true });
    expect(String((outcome as Error).message)).toMatch(/look-alike/);
  }
  expect(await server.sql('select count(*)::int as n from upstream_identity where provider_id = $1', ['lookalike-idp'])).toEqual([{ n: 0 }]);
  // International addresses that are not look-alikes still sign in.
  expect(isLookAlikeEmail('josé@corp.example')).toBe(false);
  expect(isLookAlikeEmail('jose\u0301@corp.example')).toBe(false);
  expect(isLookAlikeEmail('用户@例子.广告')).toBe(false);
  expect((await link('Kim@Corp.example', 'real-kim')).personId).toBe(kimId);
  // Dotted capital I and dotless i do not fold onto "i": another address, another person.
  for (const [email, subject] of [['K\u0130M@corp.example', 'dotted'], ['k\u0131m@corp.example', 'dotless']] as const) {
    expect({ subject, kim: (await link(email, subject)).personId === kimId }).toEqual({ subject, kim: false });
  }
});

test('an upstream account renamed to someone else\'s address signs in as its own person, and the tokens never name that address', async () => {
  const mallory = await linkUpstreamIdentity(server.db.orm.em.fork(), {
    organizationId: acme.id, kind: 'oidc', providerId: 'rename-idp', providerLabel: 'Lax IdP', subject: 'mallory', email: 'mallory@corp.example', emailVerified: true,
  });
  expect(mallory.created).toBe(true);
  const renamed = (email: string, emailVerified: boolean) => linkUpstreamIdentity(server.db.orm.em.fork(), {
    organizationId: acme.id, kind: 'oidc', providerId: 'rename-idp', providerLabel: 'Lax IdP', subject: 'mallory', email, emailVerified,
  });
  // Unverified, or verified but another person's handle: the link's last address stays the recorded handle.
  for (const [email, verified] of [['kim@corp.example', false], ['KIM@corp.example', true]] as const) {
    expect(await renamed(email, verified)).toEqual({ personId: mallory.personId, handle: { type: 'email_address', value: 'mallory@corp.example' }, created: false });
  }
  // A verified address nobody holds: the new address is recorded.
  expect((await renamed('mallory.new@corp.example', true)).handle.value).toBe('mallory.new@corp.example');
  expect(await server.sql('select email from upstream_identity where subject = $1', ['mallory'])).toEqual([{ email: 'mallory.new@corp.example' }]);
});

test('secrets given to the SSO operations are never in their answers nor in the audit trail', async () => {
  const secret = 'very-secret-upstream-client-secret-4242';
  const token = 'very-secret-upstream-access-token-4242';
  const created = await call(server.url, 'POST', '/organizations/sso/oidc/provider-credentials', {
    headers: slashidHeaders(acme), json: { client_id: 'audit-client', client_secret: secret, provider: 'google', label: 'G' },
  });
  expect(created.status).toBe(201);
  const revoked = await call(server.url, 'POST', '/sso/oidc/tokens/revoke', {
    headers: { 'SlashID-API-Key': acme.apiKey }, json: { client_id: 'audit-client', token, token_type: 'access_token' },
  });
  expect(revoked.status).toBe(204);
  const listed = await call(server.url, 'GET', '/organizations/sso/oidc/provider-credentials', { headers: slashidHeaders(acme) });
  const everything = JSON.stringify([created.body, revoked.body, listed.body, await server.sql('select * from audit_event')]);
  expect(everything).toContain('audit-client');
  expect(everything).not.toContain(secret);
  expect(everything).not.toContain(token);
});
