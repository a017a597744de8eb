// Message templates and the token template: defaults until set, Mustache checked, sizes and the
// SMS rules enforced, unknown names 404, bad input changes nothing; per organization.
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: slashidHeaders(org) });
const T = '/organizations/config/templates';
const get = async (org: TestOrg, name: string) => (await call(server.url, 'GET', `${T}/${name}`, as(org))).body.result;
const put = (org: TestOrg, name: string, json: unknown) => call(server.url, 'PUT', `${T}/${name}`, { ...as(org), json });

test('the eight templates, defaults until set, an empty field stands for the default', async () => {
  const org = await server.createOrg('Templates');
  expect((await call(server.url, 'GET', T, as(org))).body.result).toEqual([
    'email_authn_challenge', 'email_otp_message', 'text_authn_challenge', 'text_otp_message',
    'email_password_reset', 'email_password_change_notify', 'text_password_reset', 'text_password_change_notify']);
  const fallback = await get(org, 'email_otp_message');
  expect(fallback).toEqual({ sender_name: expect.any(String), subject: expect.any(String), body: expect.stringContaining('{{otp_code}}') });
  expect((await put(org, 'email_otp_message', { sender_name: 'Acme', subject: 'Code for {{name}}', body: '<b>{{otp_code}}</b>' })).status).toBe(204);
  expect(await get(org, 'email_otp_message')).toEqual({ sender_name: 'Acme', subject: 'Code for {{name}}', body: '<b>{{otp_code}}</b>' });
  expect((await put(org, 'email_otp_message', { subject: 'Only the subject' })).status).toBe(204);
  expect(await get(org, 'email_otp_message')).toEqual({ ...fallback, subject: 'Only the subject' });
  expect((await put(org, 'text_otp_message', { body: 'Code {{otp_code}}' })).status).toBe(204);
  expect(await get(org, 'text_otp_message')).toEqual({ sender_name: '', subject: '', body: 'Code {{otp_code}}' });
  const other = await server.createOrg('Other templates');
  expect(await get(other, 'email_otp_message')).toEqual(fallback);
});

test('bad templates are 400, unknown names 404; nothing changes', async () => {
  const org = await server.createOrg('Strict templates');
  await put(org, 'email_password_reset', { body: '<p>{{link}}</p>' });
  const before = await get(org, 'email_password_reset');
  const cases: [string, string, unknown, number][] = [
    ['unclosed section', 'email_password_reset', { body: '{{#a}}never closed' }, 400],
    ['unclosed tag', 'email_password_reset', { subject: 'Hi {{name' }, 400],
    ['long subject', 'email_password_reset', { subject: 's'.repeat(129) }, 400],
    ['long subject in bytes', 'email_password_reset', { subject: 'é'.repeat(65) }, 400],
    ['long e-mail body', 'email_password_reset', { body: 'b'.repeat(50 * 1024 + 1) }, 400],
    ['long SMS body', 'text_password_reset', { body: 'b'.repeat(141) }, 400],
    ['SMS with a subject', 'text_password_reset', { subject: 'x', body: 'y' }, 400],
    ['SMS with a sender', 'text_password_reset', { sender_name: 'x' }, 400],
    ['body a number', 'email_password_reset', { body: 5 }, 400],
    ['unknown name', 'email_nope', { body: 'x' }, 404],
  ];
  for (const [what, name, json, status] of cases) {
    const r = await put(org, name, json);
    expect([what, r.status, r.body?.errors?.[0]?.httpcode]).toEqual([what, status, status]);
  }
  expect((await call(server.url, 'GET', `${T}/email_nope`, as(org))).status).toBe(404);
  expect((await call(server.url, 'PUT', `${T}/email_password_reset`, { ...as(org), raw: '{"body": ' })).status).toBe(400);
  expect(await get(org, 'email_password_reset')).toEqual(before);
  expect((await call(server.url, 'PUT', `${T}/email_password_reset`, { json: { body: 'x' } })).status).toBe(401);
});

test('the token template must render to a JSON object; empty removes it', async () => {
  const org = await server.createOrg('Token template');
  const path = '/organizations/config/token-template';
  const read = async () => (await call(server.url, 'GET', path, as(org))).body.result;
  expect(await read()).toEqual({ content: '' });
  const good = '{ "org_label": "custom-{{ organization.name }}", "parents": [{{#organization.parents}}"{{id}}"{{/organization.parents}}] }';
  expect((await call(server.url, 'PUT', path, { ...as(org), json: { content: good } })).status).toBe(204);
  expect(await read()).toEqual({ content: good });
  for (const bad of ['not json {{x}}', '[1, 2]', '"a string"', '{{#open}}', '{ "a": {{ missing }} }', 'x'.repeat(16 * 1024 + 1)]) {
    const r = await call(server.url, 'PUT', path, { ...as(org), json: { content: bad } });
    expect([bad.slice(0, 20), r.status]).toEqual([bad.slice(0, 20), 400]);
  }
  expect((await call(server.url, 'PUT', path, { ...as(org), json: {} })).status).toBe(400);
  expect(await read()).toEqual({ content: good });
  expect((await call(server.url, 'PUT', path, { ...as(org), json: { content: '' } })).status).toBe(204);
  expect(await read()).toEqual({ content: '' });
});

test('minted user tokens carry the token template\'s claims, under the token\'s own and the request\'s', async () => {
  const org = await server.createOrg('Quote "Co" </script>');
  const person = (await call(server.url, 'POST', '/persons', { ...as(org), json: { handles: [{ type: 'username', value: 'minty' }] } })).body.result.person_id;
  const template = '{ "org_label": "x-{{ organization.name }}", "who": "{{ person.id }}", "sub": "forged", "plan": "basic" }';
  expect((await call(server.url, 'PUT', '/organizations/config/token-template', { ...as(org), json: { content: template } })).status).toBe(204);
  const minted = await call(server.url, 'POST', `/persons/${person}/mint-token`, { ...as(org), json: { custom_claims: { plan: 'gold' } } });
  expect(minted.status).toBe(201);
  const claims = JSON.parse(Buffer.from(String(minted.body.result).split('.')[1], 'base64url').toString('utf8'));
  expect(claims).toMatchObject({ org_label: 'x-Quote "Co" </script>', who: person, sub: person, plan: 'gold' });
});
