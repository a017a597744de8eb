// Events reach webhooks: every change that emits one writes it with the change, the sender posts
// it to an HTTPS receiver (self-signed certificate the server trusts) that verifies each JWT
// against the verification JWKS with jose; failures are retried with backoff, then given up.
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';
import type { JSONWebKeySet } from 'jose';
import { EVENT_NAMES } from '../../src/domain/webhook/events.ts';
import { deriveZkpKeys } from '../../src/zkp/client.ts';
import { enableRegistration, login, registerUser } from '../helpers/zkp.ts';

let server: TestServer;
let org: TestOrg;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver({
    jwks: async () => (await fetch(`${server.url}/organizations/webhooks/verification-jwks`, { headers: { 'SlashID-OrgID': org.id } })).json() as Promise<JSONWebKeySet>,
    audience: () => org.id,
  });
  server = await startTestServer({
    webhookAllowHttpLoopback: true, webhookCa: receiver.ca, webhookPollMs: 200, webhookRetryBaseMs: 150, webhookMaxAttempts: 3,
  });
  org = await server.createOrg('Events');
});
afterAll(async () => { await server.close(); await receiver.close(); });
beforeEach(() => { receiver.received.length = 0; receiver.respond = () => ({ status: 200 }); });

const at = (path: string) => receiver.received.filter((r) => r.claims.target_url.endsWith(path));
const as = (json?: unknown) => ({ headers: slashidHeaders(org), json });
async function hook(path: string, triggers: string[], extra: Record<string, unknown> = {}) {
  const created = await call(server.url, 'POST', '/organizations/webhooks', as({ name: path, target_url: `${receiver.url}${path}`, ...extra }));
  expect(created.status).toBe(201);
  for (const name of triggers) {
    expect((await call(server.url, 'POST', `/organizations/webhooks/${created.body.result.id}/triggers`,
      as({ trigger_type: 'event', trigger_name: name }))).status).toBe(201);
  }
  return created.body.result.id as string;
}
const graphql = async (query: string, variables: Record<string, unknown> = {}) =>
  (await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(org), json: { query, variables } })).body;

test('each change announces its event once, signed, with event_metadata, to the webhooks whose trigger matches', async () => {
  const webhookId = await hook('/all', [...EVENT_NAMES], { custom_headers: { 'X-Receiver-Secret': ['abc'] } });
  await hook('/persons-only', ['PersonCreated_v1']);

  const person = (await call(server.url, 'POST', '/persons', as({ handles: [{ type: 'email_address', value: 'ev@example.com' }] }))).body.result;
  await call(server.url, 'PATCH', `/persons/${person.person_id}`, as({ active: true }));
  await call(server.url, 'POST', '/groups', as({ name: 'team' }));
  await call(server.url, 'POST', '/groups/team/persons', as({ persons: [person.person_id] }));
  expect((await call(server.url, 'POST', '/rbac/permissions', as({ name: 'doc/read' }))).status).toBe(204);
  expect((await call(server.url, 'POST', '/rbac/roles', as({ name: 'reader', permissions: ['doc/read'] }))).status).toBe(204);
  expect((await call(server.url, 'PUT', `/persons/${person.person_id}/roles`, as({ roles: ['reader'] }))).status).toBe(204);
  expect((await call(server.url, 'POST', `/persons/${person.person_id}/mint-token`, as({}))).status).toBe(201);
  expect((await call(server.url, 'POST', `/persons/${person.person_id}/credentials/password-rotate`, as())).status).toBe(200);
  expect((await call(server.url, 'POST', '/test-events', as([{ event_name: 'ApiKeyRotated_v1' }, { event_name: 'AuthenticationFailed_v1' }]))).status).toBe(201);
  // A refused change announces nothing.
  expect((await call(server.url, 'PUT', `/persons/${person.person_id}/roles`, as({ roles: ['no-such-role'] }))).status).toBeGreaterThanOrEqual(400);
  expect((await call(server.url, 'DELETE', `/persons/${person.person_id}`, as())).status).toBe(204);

  const expected = ['PersonCreated_v1', 'PersonUpdated_v1', 'GroupMembershipChanged_v1', 'RoleAssigned_v1', 'TokenMinted_v1',
    'PasswordChanged_v1', 'ApiKeyRotated_v1', 'AuthenticationFailed_v1', 'PersonDeleted_v1'];
  await receiver.waitFor(() => receiver.received.length >= expected.length + 1);
  await new Promise((r) => setTimeout(r, 500)); // nothing more arrives
  expect(receiver.rejected).toEqual([]);
  const toAll = receiver.received.filter((r) => r.claims.webhook_id === webhookId);
  expect(toAll.map((r) => r.claims.trigger_name).sort()).toEqual([...expected].sort());
  const toPersons = receiver.received.filter((r) => r.claims.webhook_id !== webhookId);
  expect(toPersons.map((r) => r.claims.trigger_name)).toEqual(['PersonCreated_v1']);
  expect(receiver.distinct('jti').size).toBe(receiver.received.length);

  for (const { claims, headers } of toAll) {
    expect(claims).toEqual(expect.objectContaining({
      aud: org.id, iss: server.url, sub: claims.trigger_content.event_metadata.event_id, jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      target_url: `${receiver.url}/all`, webhook_id: webhookId, trigger_type: 'event',
    }));
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.trigger_content.event_metadata).toEqual({
      event_id: expect.any(String), event_name: claims.trigger_name, event_type: claims.trigger_name.replace(/_v1$/, ''),
      event_version: 'v1', organization_id: org.id, source: 'idgraph', timestamp: expect.any(String),
    });
    expect(headers['x-receiver-secret']).toBe('abc');
    expect(headers['content-type']).toBe('application/jwt');
  }
  const created = toAll.find((r) => r.claims.trigger_name === 'PersonCreated_v1')!;
  expect(created.claims.trigger_content).toEqual(expect.objectContaining({ person_id: person.person_id }));
});

test('a receiver that fails twice gets the event on the third attempt, with backoff; the history shows it', async () => {
  const webhookId = await hook('/flaky', ['PersonCreated_v1']);
  let calls = 0;
  receiver.respond = (r) => (!r.claims.target_url.endsWith('/flaky') ? { status: 200 } : ++calls <= 2 ? { status: 503 } : { status: 204 });
  await call(server.url, 'POST', '/persons', as({ handles: [{ type: 'email_address', value: 'flaky@example.com' }] }));
  await receiver.waitFor(() => at('/flaky').length === 3);
  const [first, second, third] = at('/flaky');
  expect(new Set(at('/flaky').map((r) => r.claims.jti)).size).toBe(1); // the same jti on every retry
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(100); // 150 ms ± 20 %
  expect(third!.at - second!.at).toBeGreaterThanOrEqual(200); // 300 ms ± 20 %
  await new Promise((r) => setTimeout(r, 300));
  const data = await graphql(`query($id: ID!) { webhook(id: $id) { deliveries { id eventName status attempts lastStatusCode lastError nextAttemptAt deliveredAt } } }`, { id: webhookId });
  expect(data.data.webhook.deliveries).toEqual([{
    id: first!.claims.jti, eventName: 'PersonCreated_v1', status: 'delivered', attempts: 3, lastStatusCode: 204, lastError: null,
    nextAttemptAt: null, deliveredAt: expect.any(String),
  }]);
});

test('a receiver that always fails is given up after WEBHOOK_MAX_ATTEMPTS, keeping the last error; redelivery sends it again', async () => {
  const webhookId = await hook('/down', ['PersonCreated_v1'], { timeout: '300ms' });
  receiver.respond = (r) => (r.claims.target_url.endsWith('/down') ? { delayMs: 600 } : { status: 200 });
  await call(server.url, 'POST', '/persons', as({ handles: [{ type: 'email_address', value: 'down@example.com' }] }));
  const query = `query($id: ID!) { webhook(id: $id) { deliveries { id eventId status attempts lastError nextAttemptAt } } }`;
  const until = Date.now() + 15_000;
  let delivery: any;
  do {
    await new Promise((r) => setTimeout(r, 200));
    delivery = (await graphql(query, { id: webhookId })).data.webhook.deliveries[0];
  } while (delivery?.status !== 'failed' && Date.now() < until);
  expect(delivery).toEqual(expect.objectContaining({ status: 'failed', attempts: 3, lastError: 'no answer within 300 ms', nextAttemptAt: null }));
  expect(at('/down')).toHaveLength(3);

  receiver.respond = () => ({ status: 200 });
  const redelivered = await graphql(`mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) }`, { w: webhookId, e: delivery.eventId });
  expect(redelivered.data.redeliverWebhookEvent).toBe(true);
  await receiver.waitFor(() => at('/down').length === 4);
  expect(at('/down')[3]!.claims.jti).not.toBe(delivery.id);
  expect(at('/down')[3]!.claims.sub).toBe(at('/down')[0]!.claims.sub);
  // Unknown and foreign ids are 404s.
  const unknown = await graphql(`mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) }`,
    { w: webhookId, e: '0659dd31-7e38-7d1e-8704-e3b8b6966176' });
  expect(unknown.errors[0].extensions.code).toBe('NOT_FOUND');
  const other = await server.createOrg('Foreign');
  const foreign = await call(server.url, 'POST', '/graphql', { headers: slashidHeaders(other), json: {
    query: `mutation($w: ID!, $e: ID!) { redeliverWebhookEvent(webhookId: $w, eventId: $e) }`, variables: { w: webhookId, e: delivery.eventId } } });
  expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
});

test('a refused change announces nothing', async () => {
  await hook('/rollback', ['GroupMembershipChanged_v1']);
  // Adding an unknown person fails after nothing was written: no event.
  await call(server.url, 'POST', '/groups', as({ name: 'rb' }));
  const r = await call(server.url, 'POST', '/groups/rb/persons', as({ persons: ['0659dd31-7e38-7d1e-8704-e3b8b6966176'] }));
  expect(r.status).toBe(404);
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(receiver.received.filter((x) => x.claims.target_url.endsWith('/rollback'))).toEqual([]);
});

test('logins announce AuthenticationSucceeded_v1 and AuthenticationFailed_v1 (a failure too, though its request fails)', async () => {
  await hook('/auth', ['AuthenticationSucceeded_v1', 'AuthenticationFailed_v1']);
  await enableRegistration(server.url, org, org.id);
  const keys = await registerUser(server.url, org.id, 'eve', 'eve secret');
  expect((await login(server.url, org.id, keys)).status).toBe(200);
  const wrong = await deriveZkpKeys('not eve secret', { tenantId: org.id, username: 'eve' });
  expect((await login(server.url, org.id, wrong)).status).toBe(401);
  await receiver.waitFor(() => at('/auth').length === 2);
  const byName = Object.fromEntries(at('/auth').map((r) => [r.claims.trigger_name, r.claims.trigger_content]));
  expect(byName.AuthenticationSucceeded_v1).toEqual(expect.objectContaining({
    person_id: expect.any(String), authentication_method: 'zkp', handle: { type: 'username', value: 'eve' },
  }));
  expect(byName.AuthenticationFailed_v1).toEqual(expect.objectContaining({
    person_id: null, authentication_method: 'zkp', failure_reason: 'invalid_credentials',
  }));
});

test('settled events older than the retention are purged with their history; pending ones stay', async () => {
  const { EVENT_RETENTION_DAYS } = await import('../../src/domain/webhook/sender.ts');
  const { purgeSettledEvents } = await import('../../src/domain/webhook/sender.queries.ts');
  const [pendingEvent] = await server.sql(`select event_id from webhook_delivery limit 1`);
  await server.sql(`update event_outbox set fanned_out_at = now() - interval '40 days'`);
  await server.sql(`update webhook_delivery set status = 'pending' where event_id = $1`, [pendingEvent.event_id]);
  const purged = await purgeSettledEvents(server.db.orm.em.fork() as never, EVENT_RETENTION_DAYS);
  expect(purged).toBeGreaterThan(0);
  expect(await server.sql(`select id from event_outbox`)).toEqual([{ id: pendingEvent.event_id }]);
  await server.sql(`update webhook_delivery set status = 'failed' where event_id = $1`, [pendingEvent.event_id]);
});

test('regenerating a per-user API key announces ApiKeyRotated_v1', async () => {
  await hook('/keys', ['ApiKeyRotated_v1']);
  const personId = (await call(server.url, 'POST', '/persons', as({ handles: [{ type: 'username', value: 'keyholder' }] }))).body.result.person_id;
  const created = await call(server.url, 'POST', '/api-keys', {
    headers: { 'X-API-Key': org.apiKey }, json: { name: 'ci', scopes: ['users:read'], tenant_id: org.id, user_id: personId },
  });
  expect(created.status).toBe(201);
  const keyId = created.body.key_id;
  expect((await call(server.url, 'POST', `/api-keys/${keyId}/regenerate`, { headers: { 'X-API-Key': org.apiKey } })).status).toBe(200);
  await receiver.waitFor(() => at('/keys').length === 1);
  expect(at('/keys')[0]!.claims.trigger_content).toEqual(expect.objectContaining({ key_id: keyId, key_kind: 'user_api_key', person_id: personId }));
});
