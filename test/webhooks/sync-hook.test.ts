// The token_minted sync hook: before a user token is signed, each hook gets the draft claims and
// request_metadata (a signed JWT, like events); the JSON object it answers in time becomes custom
// claims. Late, failing or reserved answers: the token is issued without them (WEBHOOK_SYNC_FAILURE
// = issue), or not at all (= fail).
import { decodeJwt, type JSONWebKeySet } from 'jose';
import { startTestServer, type TestOrg, type TestServer } from '../helpers/server.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let strict: TestServer;
let org: TestOrg;
let strictOrg: TestOrg;
let receiver: Receiver;
let audience = '';
let jwksFrom = () => server.url;

beforeAll(async () => {
  receiver = await startReceiver({
    jwks: async () => (await fetch(`${jwksFrom()}/organizations/webhooks/verification-jwks`, { headers: { 'SlashID-OrgID': audience } })).json() as Promise<JSONWebKeySet>,
    audience: () => audience,
  });
  const settings = { webhookAllowHttpLoopback: true, webhookCa: receiver.ca, webhookPollMs: 0 };
  server = await startTestServer(settings);
  // Its own database, so its own webhook signing key: the receiver reads that server's JWKS for it.
  strict = await startTestServer({ ...settings, webhookSyncFailure: 'fail' });
  org = await server.createOrg('Sync');
  strictOrg = await strict.createOrg('Strict');
});
afterAll(async () => { await server.close(); await strict.close(); await receiver.close(); });
beforeEach(() => { receiver.received.length = 0; audience = org.id; });

async function syncHook(s: TestServer, o: TestOrg, path: string, timeout = '0s') {
  const created = await call(s.url, 'POST', '/organizations/webhooks',
    { headers: slashidHeaders(o), json: { name: path, target_url: `${receiver.url}${path}`, timeout } });
  await call(s.url, 'DELETE', `/organizations/webhooks/${created.body.result.id}/triggers?trigger_type=sync_hook&trigger_name=token_minted`, { headers: slashidHeaders(o) });
  expect((await call(s.url, 'POST', `/organizations/webhooks/${created.body.result.id}/triggers`,
    { headers: slashidHeaders(o), json: { trigger_type: 'sync_hook', trigger_name: 'token_minted' } })).status).toBe(201);
  return created.body.result.id as string;
}
const removeHook = (s: TestServer, o: TestOrg, id: string) => call(s.url, 'DELETE', `/organizations/webhooks/${id}`, { headers: slashidHeaders(o) });

async function person(s: TestServer, o: TestOrg, email: string) {
  return (await call(s.url, 'POST', '/persons', { headers: slashidHeaders(o), json: { handles: [{ type: 'email_address', value: email }] } })).body.result.person_id as string;
}
const mint = (s: TestServer, o: TestOrg, id: string, json: unknown = {}) =>
  call(s.url, 'POST', `/persons/${id}/mint-token`, { headers: { ...slashidHeaders(o), 'User-Agent': 'sync-test/1' }, json });

test('the hook sees the draft and request_metadata; its answer becomes custom claims', async () => {
  const id = await syncHook(server, org, '/claims');
  receiver.respond = () => ({ status: 200, body: JSON.stringify({ plan: 'gold', limits: { seats: 3 } }) });
  const personId = await person(server, org, 'sync@example.com');
  const minted = await mint(server, org, personId, { custom_claims: { team: 'blue' } });
  expect(minted.status).toBe(201);
  const claims = decodeJwt(minted.body.result);
  expect(claims).toEqual(expect.objectContaining({ sub: personId, plan: 'gold', limits: { seats: 3 }, team: 'blue' }));
  expect(receiver.rejected).toEqual([]);
  const [call1] = receiver.received;
  expect(call1!.claims).toEqual(expect.objectContaining({ aud: org.id, trigger_type: 'sync_hook', trigger_name: 'token_minted', webhook_id: id, sub: personId }));
  expect(call1!.claims.trigger_content).toEqual(expect.objectContaining({
    sub: personId, person_id: personId, oid: org.id, team: 'blue', groups_claim_name: 'groups', groups: [],
    request_metadata: { client_ip_address: '127.0.0.1', origin: null, user_agent: 'sync-test/1' },
  }));
  await removeHook(server, org, id);
});

test('reserved names, a non-object, an error status or a late answer: the token is issued without extra claims, on time', async () => {
  const personId = await person(server, org, 'late@example.com');
  const answers = [
    { status: 200, body: JSON.stringify({ sub: 'someone-else', plan: 'gold' }) },
    { status: 200, body: JSON.stringify({ groups: ['admins'] }) },
    { status: 200, body: '["not", "an", "object"]' },
    { status: 200, body: 'not json' },
    { status: 500, body: JSON.stringify({ plan: 'gold' }) },
  ];
  const id = await syncHook(server, org, '/bad');
  for (const answer of answers) {
    receiver.respond = () => answer;
    const minted = await mint(server, org, personId);
    expect(minted.status).toBe(201);
    const claims = decodeJwt(minted.body.result);
    expect(claims.sub).toBe(personId);
    expect(claims.plan).toBeUndefined();
    expect(claims.groups).toEqual([]);
  }
  await removeHook(server, org, id);

  const slow = await syncHook(server, org, '/slow', '300ms');
  receiver.respond = () => ({ status: 200, body: JSON.stringify({ plan: 'late' }), delayMs: 1500 });
  const started = Date.now();
  const minted = await mint(server, org, personId);
  const took = Date.now() - started;
  expect(minted.status).toBe(201);
  expect(decodeJwt(minted.body.result).plan).toBeUndefined();
  expect(took).toBeGreaterThanOrEqual(280);
  expect(took).toBeLessThan(1400);
  await removeHook(server, org, slow);
  expect(receiver.received).toHaveLength(answers.length + 1); // every hook was called, with a JWT that verified
  expect(receiver.rejected).toEqual([]);
});

test('WEBHOOK_SYNC_FAILURE=fail: a late hook means no token (503) and no token row', async () => {
  audience = strictOrg.id;
  jwksFrom = () => strict.url;
  const id = await syncHook(strict, strictOrg, '/strict', '200ms');
  receiver.respond = () => ({ status: 200, body: '{}', delayMs: 1000 });
  const personId = await person(strict, strictOrg, 'strict@example.com');
  const minted = await mint(strict, strictOrg, personId);
  expect(minted.status).toBe(503);
  expect(minted.body.errors[0].message).toContain('token_minted');
  expect(minted.body.errors[0].message).toContain('no answer within 200 ms');
  expect(await strict.sql('select 1 from user_token where person_id = $1', [personId])).toHaveLength(0);
  // A hook that answers in time: the token is issued.
  receiver.respond = () => ({ status: 200, body: JSON.stringify({ plan: 'ok' }) });
  const ok = await mint(strict, strictOrg, personId);
  expect(ok.status).toBe(201);
  expect(decodeJwt(ok.body.result).plan).toBe('ok');
  await removeHook(strict, strictOrg, id);
});
