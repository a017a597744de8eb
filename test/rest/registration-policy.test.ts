// The organization configuration's rules for self-registration (seed 001): deny_self_registration,
// new_person_handle_patterns and requires_manual_approval, on the Secrets Vault registration path.
// Persons the administrator creates (POST /persons) are not self-registrations.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { enableRegistration, login } from '../helpers/zkp.ts';
import { deriveZkpKeys, registrationBody } from '../../src/zkp/client.ts';

let server: TestServer;
let org: TestOrg;

beforeAll(async () => {
  server = await startTestServer();
  org = await server.createOrg('Policy');
  await enableRegistration(server.url, org, org.id);
});
afterAll(() => server.close());

const configure = (json: Record<string, unknown>) =>
  call(server.url, 'PATCH', '/organizations/config', { headers: slashidHeaders(org), json });
const persons = async () => (await server.sql('select count(*)::int as n from person where organization_id = $1', [org.id]))[0].n;

async function register(username: string, email = `${username}@example.com`) {
  const keys = await deriveZkpKeys(`${username} secret`, { tenantId: org.id, username });
  const r = await call(server.url, 'POST', `/auth/register?tenant_id=${org.id}`, { json: await registrationBody(keys, email) });
  return { r, keys };
}

test('deny_self_registration refuses registration with 403 and creates nothing; the administrator still creates persons', async () => {
  expect((await configure({ deny_self_registration: true })).status).toBe(204);
  const before = await persons();
  const { r } = await register('denied');
  expect(r.status).toBe(403);
  expect(r.body.detail).toMatch(/deny_self_registration/);
  expect(await persons()).toBe(before);
  const created = await call(server.url, 'POST', '/persons', {
    headers: slashidHeaders(org), json: { handles: [{ type: 'username', value: 'made-by-admin' }] },
  });
  expect(created.status).toBe(201);
  expect((await configure({ deny_self_registration: false })).status).toBe(204);
});

test('new_person_handle_patterns: a registration needs a handle matching one (case-insensitive *), else 403', async () => {
  expect((await configure({ new_person_handle_patterns: ['*@EXAMPLE.com', '+1*'] })).status).toBe(204);
  const before = await persons();
  const outside = await register('outsider', 'outsider@elsewhere.org');
  expect(outside.r.status).toBe(403);
  expect(outside.r.body.detail).toMatch(/new_person_handle_patterns/);
  // a look-alike domain does not match
  expect((await register('lookalike', 'lookalike@example.com.evil.org')).r.status).toBe(403);
  expect(await persons()).toBe(before);
  expect((await register('insider', 'insider@example.com')).r.status).toBe(201);
  expect((await configure({ new_person_handle_patterns: [] })).status).toBe(204);
});

test('requires_manual_approval: the new person is inactive and cannot sign in until the administrator activates it', async () => {
  expect((await configure({ requires_manual_approval: true })).status).toBe(204);
  const { r, keys } = await register('waiting');
  expect(r.status).toBe(201);
  const [person] = await server.sql(`select p.id, p.active from person p join handle h on h.person_id = p.id
    where h.organization_id = $1 and h.normalized = 'waiting'`, [org.id]);
  expect(person.active).toBe(false);
  expect((await login(server.url, org.id, keys)).status).not.toBe(200);
  expect((await call(server.url, 'PATCH', `/persons/${person.id}`, { headers: slashidHeaders(org), json: { active: true } })).status).toBe(200);
  expect((await login(server.url, org.id, keys)).status).toBe(200);
  expect((await configure({ requires_manual_approval: false })).status).toBe(204);
});
