// linkUpstreamIdentity (shared by OIDC and SAML brokered sign-in), on a real database: which person
// an upstream identity is, and when it is refused. A link wins over the email; a verified email
// finds the person holding it only when both sides verified it; otherwise a new person, as the
// organization's self-registration settings allow; a sub-organization's persons live with its pool.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { createPersonWithPassword } from '../oidc/browser.ts';
import { linkUpstreamIdentity, type UpstreamIdentityInput } from '../../src/domain/sso/upstream-identity.ts';
import { Forbidden } from '../../src/domain/errors.ts';

let server: TestServer;
let acme: TestOrg;
let verifiedId: string;
let unverifiedId: string;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.createOrg('Acme');
  verifiedId = await createPersonWithPassword(server, acme.id, [{ type: 'email_address', value: 'Grace@Corp.example' }], 'grace pw 12345');
  unverifiedId = await createPersonWithPassword(server, acme.id, [{ type: 'email_address', value: 'self-registered@corp.example' }], 'sr pw 12345');
  await server.sql('update person set is_verified = true where id = $1', [verifiedId]);
});
afterAll(() => server.close());

const configure = (org: TestOrg, json: Record<string, unknown>) =>
  call(server.url, 'PATCH', '/organizations/config', { headers: slashidHeaders(org), json });
const input = (over: Partial<UpstreamIdentityInput>): UpstreamIdentityInput => ({
  organizationId: acme.id, kind: 'oidc', providerId: 'provider-1', providerLabel: 'Corp IdP', subject: 'sub-1',
  email: 'grace@corp.example', emailVerified: true, ...over,
});
const link = (over: Partial<UpstreamIdentityInput>) => linkUpstreamIdentity(server.db.orm.em.fork(), input(over));
const refusal = async (over: Partial<UpstreamIdentityInput>) => {
  const error = await link(over).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Forbidden);
  return (error as Error).message;
};

test('a verified email finds the person holding it (case-insensitively), then the link finds it even after the email changes', async () => {
  expect(await link({ subject: 'grace-sub' })).toEqual({ personId: verifiedId, handle: { type: 'email_address', value: 'grace@corp.example' }, created: false });
  expect((await link({ subject: 'grace-sub', email: 'grace.hopper@other.example', emailVerified: false })).personId).toBe(verifiedId);
  // The same subject at another provider, or over SAML, is another identity.
  expect(await refusal({ subject: 'grace-sub', providerId: 'provider-2', email: 'grace@corp.example', emailVerified: false })).toMatch(/did not confirm/);
});

test('never merged on an unverified email: not verified upstream, or not verified here', async () => {
  expect(await refusal({ subject: 'm1', email: 'grace@corp.example', emailVerified: false })).toMatch(/Corp IdP did not confirm that grace@corp.example is verified/);
  expect(await refusal({ subject: 'm2', email: 'self-registered@corp.example', emailVerified: true })).toMatch(/not verified here/);
  expect(await server.sql('select count(*)::int as n from upstream_identity where subject in ($1, $2)', ['m1', 'm2'])).toEqual([{ n: 0 }]);
  expect(unverifiedId).toBeDefined();
});

test('no email, a malformed one, or no subject: refused with the reason', async () => {
  expect(await refusal({ subject: 'n1', email: null })).toMatch(/did not give an email/);
  expect(await refusal({ subject: 'n2', email: 'not an email' })).toMatch(/did not give an email/);
  expect(await refusal({ subject: '' })).toMatch(/did not identify/);
});

test('a new identity is a new person under the self-registration settings', async () => {
  const created = await link({ subject: 'new-1', email: 'new1@corp.example' });
  expect(created.created).toBe(true);
  expect(await server.sql('select active, is_verified from person where id = $1', [created.personId])).toEqual([{ active: true, is_verified: true }]);
  const unverified = await link({ subject: 'new-2', email: 'new2@corp.example', emailVerified: false });
  expect(await server.sql('select is_verified from person where id = $1', [unverified.personId])).toEqual([{ is_verified: false }]);

  expect((await configure(acme, { deny_self_registration: true })).status).toBe(204);
  expect(await refusal({ subject: 'new-3', email: 'new3@corp.example' })).toMatch(/deny_self_registration/);
  // A person already linked still signs in.
  expect((await link({ subject: 'new-1', email: 'new1@corp.example' })).personId).toBe(created.personId);
  expect((await configure(acme, { deny_self_registration: false, new_person_handle_patterns: ['*@corp.example'] })).status).toBe(204);
  expect(await refusal({ subject: 'new-4', email: 'new4@elsewhere.example' })).toMatch(/new_person_handle_patterns/);
  expect((await link({ subject: 'new-5', email: 'new5@corp.example' })).created).toBe(true);
  expect((await configure(acme, { new_person_handle_patterns: [], requires_manual_approval: true })).status).toBe(204);
  expect(await refusal({ subject: 'new-6', email: 'new6@corp.example' })).toMatch(/waits for approval/);
  const [waiting] = await server.sql('select p.active from person p join handle h on h.person_id = p.id where h.normalized = $1', ['new6@corp.example']);
  expect(waiting).toEqual({ active: false });
  expect(await refusal({ subject: 'new-6', email: 'new6@corp.example' })).toMatch(/not active/);
  expect((await configure(acme, { requires_manual_approval: false })).status).toBe(204);
});

test('a sub-organization sharing the person pool links to, and creates, persons of the pool owner', async () => {
  const sub = await call(server.url, 'POST', '/organizations/suborganizations', {
    headers: slashidHeaders(acme), json: { sub_org_name: 'Branch', admins: [{ type: 'email_address', value: 'branch-admin@corp.example' }], persons_org_id: acme.id },
  });
  expect(sub.status).toBe(200);
  const branch = sub.body.result.id as string;
  expect((await link({ organizationId: branch, subject: 'pool-grace', email: 'grace@corp.example' })).personId).toBe(verifiedId);
  const fresh = await link({ organizationId: branch, subject: 'pool-new', email: 'pool-new@corp.example' });
  expect(await server.sql('select organization_id from person where id = $1', [fresh.personId])).toEqual([{ organization_id: acme.id }]);
  expect(await server.sql('select organization_id from upstream_identity where subject = $1', ['pool-new'])).toEqual([{ organization_id: acme.id }]);
});
