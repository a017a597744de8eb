// The password-reset mail is the organization's `email_password_reset` template (Mustache), or the
// default until one is set, rendered into the outbox row with the code's link; each organization's
// mail uses its own template. A reset done with the code sends the `email_password_change_notify`
// notice the same way.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { enableRegistration, registerUser } from '../helpers/zkp.ts';
import { deriveZkpKeys, registrationBody } from '../../src/zkp/client.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
const RESET_URL = 'https://login.example.com/reset';

beforeAll(async () => {
  server = await startTestServer({ outboxPollMs: 0, passwordResetUrl: RESET_URL });
  acme = await server.createOrg('Acme & Sons');
  other = await server.createOrg('Other');
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });

async function person(org: TestOrg, username: string) {
  const r = await call(server.url, 'POST', '/persons', {
    ...as(org), json: { handles: [{ type: 'username', value: username }, { type: 'email_address', value: `${username}@example.com` }] },
  });
  if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
}

async function resetMail(org: TestOrg, username: string) {
  const r = await call(server.url, 'POST', `/auth/password/reset-request?tenant_id=${org.id}&client_id=web`, {
    json: { username, email: `${username}@example.com` },
  });
  expect(r.status).toBe(200);
  const rows = await server.sql(`select * from outbox_message where recipient = $1 order by id desc limit 1`, [`${username}@example.com`]);
  expect(rows).toHaveLength(1);
  return rows[0].payload as { code: string; link: string; message: { sender_name: string; subject: string; body: string } };
}

test('without a template the mail is the default, with the link to the reset page', async () => {
  await person(acme, 'plain');
  const mail = await resetMail(acme, 'plain');
  expect(mail.link).toBe(`${RESET_URL}?code=${mail.code}&username=plain&tenant_id=${acme.id}&client_id=web`);
  expect(mail.message).toEqual({
    sender_name: 'idgraph', subject: 'Reset your password',
    body: `<p>Reset your password: <a href="${mail.link.replace(/&/g, '&amp;')}">choose a new one</a></p>`,
  });
});

test('a template set by the organization is the mail: fields rendered, HTML escaped in the body only', async () => {
  const put = await call(server.url, 'PUT', '/organizations/config/templates/email_password_reset', {
    ...as(acme), json: {
      sender_name: '{{organization.name}} support', subject: 'Hi {{username}}, reset your {{organization.name}} password',
      body: '<p>{{organization.name}}: your code is {{code}}, valid {{expires_in_minutes}} minutes. <a href="{{{link}}}">Reset</a></p>',
    },
  });
  expect(put.status).toBe(204);
  await person(acme, 'templated');
  const mail = await resetMail(acme, 'templated');
  expect(mail.message).toEqual({
    sender_name: 'Acme & Sons support', subject: 'Hi templated, reset your Acme & Sons password',
    body: `<p>Acme &amp; Sons: your code is ${mail.code}, valid 30 minutes. <a href="${mail.link}">Reset</a></p>`,
  });
  // Another organization keeps the default.
  await person(other, 'elsewhere');
  expect((await resetMail(other, 'elsewhere')).message.subject).toBe('Reset your password');
  // An empty field stands for the default again.
  await call(server.url, 'PUT', '/organizations/config/templates/email_password_reset', { ...as(acme), json: { body: 'Code {{code}}' } });
  const reset = await resetMail(acme, 'templated');
  expect(reset.message).toEqual({ sender_name: 'idgraph', subject: 'Reset your password', body: `Code ${reset.code}` });
});

test('no user, no mail: an unknown username or a wrong email leaves the outbox as it was', async () => {
  const before = await server.sql('select count(*)::int as n from outbox_message');
  const r = await call(server.url, 'POST', `/auth/password/reset-request?tenant_id=${acme.id}&client_id=web`, { json: { username: 'nobody', email: 'x@example.com' } });
  expect(r.status).toBe(200);
  expect(await server.sql('select count(*)::int as n from outbox_message')).toEqual(before);
});

test('a reset done with the code mails the password-change notice, from the organization\'s template', async () => {
  await enableRegistration(server.url, other, other.id);
  await registerUser(server.url, other.id, 'noticed', 'old secret');
  await call(server.url, 'PUT', '/organizations/config/templates/email_password_change_notify', {
    ...as(other), json: { subject: '{{organization.name}}: password changed', body: '<p>{{username}}, your password was changed ({{reason}}).</p>' },
  });
  const { code } = await resetMail(other, 'noticed');
  const fresh = await deriveZkpKeys('new secret', { tenantId: other.id, username: 'noticed' });
  const reg = await registrationBody(fresh, 'noticed@example.com');
  const reset = await call(server.url, 'POST', `/auth/password/reset?tenant_id=${other.id}`, {
    json: { code, username: 'noticed', encrypted_commitment: reg.encrypted_commitment, proto_version: 1 },
  });
  expect(reset.status).toBe(200);
  const [notice] = await server.sql(`select template, recipient, payload from outbox_message where template = 'password_change_notify'`);
  expect(notice).toEqual({
    template: 'password_change_notify', recipient: 'noticed@example.com',
    payload: { tenant_id: other.id, reason: 'reset', message: {
      sender_name: 'idgraph', subject: 'Other: password changed', body: '<p>noticed, your password was changed (reset).</p>',
    } },
  });
});
