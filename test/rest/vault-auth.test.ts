import crypto from 'node:crypto';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { challengeFor, enableRegistration, fromIp, login, registerUser } from '../helpers/zkp.ts';
import { authenticateBody, challengeBody, deriveZkpKeys, registrationBody, type ZkpKeys } from '../../src/zkp/client.ts';
import { redeemLoginTicket } from '../../src/domain/login/zkp-login.service.ts';
import { drainOutbox, passwordResetLink, type Mail } from '../../src/domain/outbox/outbox.service.ts';

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let ada: ZkpKeys;
let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

beforeAll(async () => {
  server = await startTestServer({ trustProxyHops: 1, countryHeader: 'cf-ipcountry', outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await enableRegistration(server.url, acme, acme.id);
  await enableRegistration(server.url, other, other.id);
  ada = await registerUser(server.url, acme.id, 'ada', 'ada secret image bytes');
});
afterAll(() => server.close());

describe('POST /auth/register', () => {
  test('stores the encrypted commitment as a zkp credential and never the cipherKey', async () => {
    const keys = await deriveZkpKeys('grace secret', { tenantId: acme.id, username: 'grace' });
    const body = await registrationBody(keys, 'grace@example.com', { device: 'test' });
    const r = await call(server.url, 'POST', `/auth/register?tenant_id=${acme.id}`, { json: body });
    expect(r.status).toBe(201);
    expect(r.body).toBeNull();
    const [cred] = await server.sql(
      `select c.type, c.secret, c.params from credential c join handle h on h.person_id = c.person_id
       where h.type = 'username' and h.normalized = 'grace'`);
    expect(cred).toMatchObject({ type: 'zkp', secret: body.encrypted_commitment, params: { protoVersion: 1 } });
    const dump = JSON.stringify(await server.sql(`select * from credential`)) + JSON.stringify(await server.sql(`select * from zkp_challenge`));
    expect(dump).not.toContain(keys.cipherKey);
  });

  test('refuses a taken username with 409, and registration where the tenant disables it with 403', async () => {
    const keys = await deriveZkpKeys('x', { tenantId: acme.id, username: 'ADA' });
    const dup = await call(server.url, 'POST', `/auth/register?tenant_id=${acme.id}`, { json: await registrationBody(keys, 'ada2@example.com') });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ detail: expect.any(String) });
    const sub = await call(server.url, 'POST', '/tenants', { headers: vaultHeaders(acme), json: { tenant_id: 'closed-tenant' } });
    expect(sub.status).toBe(201);
    const closedKeys = await deriveZkpKeys('x', { tenantId: 'closed-tenant', username: 'zed' });
    const closed = await call(server.url, 'POST', '/auth/register?tenant_id=closed-tenant', { json: await registrationBody(closedKeys, 'zed@example.com') });
    expect(closed.status).toBe(403);
    expect(await server.sql(`select 1 from handle where normalized = 'zed'`)).toHaveLength(0);
  });

  test('answers 404 for an unknown tenant and 422 without tenant_id', async () => {
    const keys = await deriveZkpKeys('x', { tenantId: 'nope', username: 'nobody' });
    const json = await registrationBody(keys, 'n@example.com');
    expect((await call(server.url, 'POST', '/auth/register?tenant_id=nope', { json })).status).toBe(404);
    const missing = await call(server.url, 'POST', '/auth/register', { json });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0]).toMatchObject({ loc: ['query', 'tenant_id'], type: 'missing' });
  });

  test.each([
    ['missing fields', { username: 'u1' }],
    ['a bad username', { username: 'bad name!', email: 'a@example.com', encrypted_commitment: 'AQ', proto_version: 1 }],
    ['a bad email', { username: 'u2', email: 'nope', encrypted_commitment: 'AQ', proto_version: 1 }],
    ['a wrong type', { username: 'u3', email: 'u3@example.com', encrypted_commitment: 5, proto_version: '1' }],
    ['an oversize commitment', { username: 'u4', email: 'u4@example.com', encrypted_commitment: 'A'.repeat(500), proto_version: 1 }],
    ['a malformed commitment', { username: 'u5', email: 'u5@example.com', encrypted_commitment: 'AQID', proto_version: 1 }],
    ['an unknown proto_version', { username: 'u6', email: 'u6@example.com', encrypted_commitment: 'AQID', proto_version: 2 }],
    ['a bare array', []],
  ])('answers 422 with a validation list for %s and creates nothing', async (_, json) => {
    const before = await server.sql('select count(*)::int as n from person');
    const r = await call(server.url, 'POST', `/auth/register?tenant_id=${acme.id}`, { json });
    expect(r.status).toBe(422);
    expect(Array.isArray(r.body.detail)).toBe(true);
    expect(r.body.detail[0]).toEqual({ loc: expect.any(Array), msg: expect.any(String), type: expect.any(String) });
    expect(await server.sql('select count(*)::int as n from person')).toEqual(before);
  });

  test('answers 422 for malformed JSON', async () => {
    const r = await call(server.url, 'POST', `/auth/register?tenant_id=${acme.id}`, { raw: '{"username": ' });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].type).toBe('json_invalid');
  });
});

describe('POST /auth/challenge', () => {
  test('issues a single-use challenge of at most 300 s, for known and unknown users alike', async () => {
    const known = await challengeFor(server.url, acme.id, ada);
    const unknown = await call(server.url, 'POST', `/auth/challenge?tenant_id=${acme.id}`, {
      json: { username: 'nobody-here', cipherKey: ada.cipherKey },
    });
    for (const r of [known, unknown]) {
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['challenge_data', 'challenge_id', 'expires_at', 'proto_version']);
      expect(r.body.proto_version).toBe(1);
      const ttl = (Date.parse(r.body.expires_at) - Date.now()) / 1000;
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
    expect(known.body.challenge_id).not.toBe(unknown.body.challenge_id);
  });

  test('answers 422 for bad bodies and 404 for an unknown tenant', async () => {
    expect((await call(server.url, 'POST', `/auth/challenge?tenant_id=${acme.id}`, { json: { username: 'ada' } })).status).toBe(422);
    expect((await call(server.url, 'POST', `/auth/challenge?tenant_id=${acme.id}`, { json: { username: 'ada', cipherKey: 'k'.repeat(500) } })).status).toBe(422);
    expect((await call(server.url, 'POST', '/auth/challenge?tenant_id=missing', { json: challengeBody(ada) })).status).toBe(404);
  });
});

describe('POST /auth/authenticate', () => {
  test('verifies the proof and answers a single-use login ticket; records session, ber and log_data', async () => {
    const headers = fromIp('198.51.100.7', { 'User-Agent': IPHONE, 'CF-IPCountry': 'be' });
    const challenge = await challengeFor(server.url, acme.id, ada, headers);
    // (an auth_req_id must name a pending authorize request: test/oidc/zkp-login-flow.test.ts)
    const r = await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, {
      headers,
      json: {
        ...authenticateBody(ada, challenge.body),
        ber: { ber: { count_bits: 100, error_bits: 3, BER_PERCENT: 3 }, image_dim: [64, 64], algorithm_version: 'v1' },
        log_data: { app: 'test' },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ nonce: expect.any(String), need_verify: false });
    const [ticket] = await server.sql(`select * from login_ticket order by created_at desc limit 1`);
    expect(ticket.ticket_hash).toBe(crypto.createHash('sha256').update(r.body.nonce).digest('hex'));
    expect(JSON.stringify(ticket)).not.toContain(r.body.nonce);
    expect(ticket).toMatchObject({ auth_req_id: null, method: 'zkp', login_data: { ber: { image_dim: [64, 64] }, log_data: { app: 'test' } } });
    const [session] = await server.sql(`select * from session where id = $1`, [ticket.session_id]);
    expect(session.created).toMatchObject({ ip: '198.51.100.7', country: 'BE', userAgent: IPHONE });

    const em = server.db.orm.em.fork();
    const redeemed = await redeemLoginTicket(em, r.body.nonce);
    expect(redeemed).toMatchObject({ authReqId: null, organizationId: acme.id, sessionId: ticket.session_id });
    expect(await redeemLoginTicket(em, r.body.nonce)).toBeNull();
  });

  test('need_verify follows the tenant is_2fa setting', async () => {
    await server.sql(`update organization set tenant_settings = jsonb_set(tenant_settings, '{is2fa}', 'true') where id = $1`, [other.id]);
    const keys = await registerUser(server.url, other.id, 'twofa', 'twofa secret');
    const r = await login(server.url, other.id, keys, fromIp(freshIp()));
    expect(r.status).toBe(200);
    expect(r.body.need_verify).toBe(true);
  });

  test('unknown user, wrong cipherKey, wrong proof, reused, expired or foreign challenges answer the same 401', async () => {
    const wrongSecret = await deriveZkpKeys('not ada', { tenantId: acme.id, username: 'ada' });
    const ghost = await deriveZkpKeys('ghost', { tenantId: acme.id, username: 'ghost' });
    const replies = [];
    replies.push(await login(server.url, acme.id, ghost, fromIp(freshIp())));
    replies.push(await login(server.url, acme.id, wrongSecret, fromIp(freshIp())));
    // Right proof, wrong cipherKey.
    {
      const ch = await challengeFor(server.url, acme.id, ada, fromIp(freshIp()));
      const body = { ...authenticateBody(ada, ch.body), cipherKey: wrongSecret.cipherKey };
      replies.push(await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: body }));
    }
    // Garbage proof and garbage cipherKey.
    {
      const ch = await challengeFor(server.url, acme.id, ada);
      const body = { ...authenticateBody(ada, ch.body), challenge_data: 'AAAA', cipherKey: '!!' };
      replies.push(await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: body }));
    }
    // Reused challenge: the first use succeeds, the second fails.
    {
      const ch = await challengeFor(server.url, acme.id, ada);
      const first = await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: authenticateBody(ada, ch.body) });
      expect(first.status).toBe(200);
      replies.push(await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: authenticateBody(ada, ch.body) }));
    }
    // Expired challenge.
    {
      const ch = await challengeFor(server.url, acme.id, ada);
      await server.sql(`update zkp_challenge set expires_at = now() - interval '1 second' where id = $1`, [ch.body.challenge_id]);
      replies.push(await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: authenticateBody(ada, ch.body) }));
    }
    // A challenge issued for another username, and one of another tenant.
    {
      const ch = await call(server.url, 'POST', `/auth/challenge?tenant_id=${acme.id}`, { json: { username: 'grace', cipherKey: 'x' } });
      replies.push(await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: authenticateBody(ada, ch.body) }));
      const foreign = await call(server.url, 'POST', `/auth/challenge?tenant_id=${other.id}`, { json: challengeBody(ada) });
      replies.push(await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(freshIp()), json: authenticateBody(ada, foreign.body) }));
    }
    // A challenge id that is not a UUID.
    replies.push(await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, {
      headers: fromIp(freshIp()), json: authenticateBody(ada, { challenge_id: 'nope', challenge_data: 'x' }),
    }));
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 401));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(replies[0].body.detail).toMatch(/not valid/);
  });

  test('answers 422 for malformed bodies', async () => {
    for (const json of [{}, { username: 'ada', cipherKey: 'k', challenge_id: 'c' }, { ...authenticateBody(ada, { challenge_id: 'c', challenge_data: 'd' }), ber: 'high' }]) {
      const r = await call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { json });
      expect(r.status).toBe(422);
      expect(Array.isArray(r.body.detail)).toBe(true);
    }
  });
});

describe('password reset by code', () => {
  const captured: Mail[] = [];
  const sink = async (mail: Mail) => { captured.push(mail); };

  test('mails a single-use code through the outbox; the code replaces the commitment and ends sessions', async () => {
    const keys = await registerUser(server.url, acme.id, 'resetme', 'old secret');
    expect((await login(server.url, acme.id, keys, fromIp(freshIp()))).status).toBe(200);
    const r = await call(server.url, 'POST', `/auth/password/reset-request?tenant_id=${acme.id}&client_id=web`, {
      json: { username: 'resetme', email: 'RESETME@example.com' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
    const [message] = await server.sql(`select * from outbox_message where recipient = 'resetme@example.com'`);
    expect(message).toMatchObject({ channel: 'mail', template: 'password_reset', sent_at: null });
    const code = message.payload.code as string;
    expect(await server.sql(`select 1 from password_reset_code where code_hash = $1`,
      [crypto.createHash('sha256').update(code).digest('hex')])).toHaveLength(1);

    expect(await drainOutbox(server.db.orm.em.fork(), sink)).toBeGreaterThanOrEqual(1);
    expect(captured.find((m) => m.recipient === 'resetme@example.com')?.payload.code).toBe(code);
    const [sent] = await server.sql(`select * from outbox_message where id = $1`, [message.id]);
    expect(sent.sent_at).not.toBeNull();
    expect(sent.payload).toBeNull();
    expect(passwordResetLink('https://login.example.com/reset', { code, username: 'resetme', tenant_id: acme.id }))
      .toBe(`https://login.example.com/reset?code=${code}&username=resetme&tenant_id=${acme.id}`);

    const fresh = await deriveZkpKeys('new secret', { tenantId: acme.id, username: 'resetme' });
    const reg = await registrationBody(fresh, 'resetme@example.com');
    const wrongUser = await call(server.url, 'POST', `/auth/password/reset?tenant_id=${acme.id}`, {
      json: { code, username: 'ada', encrypted_commitment: reg.encrypted_commitment, proto_version: 1 },
    });
    expect(wrongUser.status).toBe(400);
    const reset = await call(server.url, 'POST', `/auth/password/reset?tenant_id=${acme.id}`, {
      json: { code, username: 'resetme', encrypted_commitment: reg.encrypted_commitment, proto_version: 1 },
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toBeNull();
    expect(await server.sql(`select 1 from session s join handle h on h.person_id = s.person_id
      where h.normalized = 'resetme' and s.ended_at is null`)).toHaveLength(0);
    expect((await login(server.url, acme.id, keys, fromIp(freshIp()))).status).toBe(401);
    expect((await login(server.url, acme.id, fresh, fromIp(freshIp()))).status).toBe(200);

    const again = await call(server.url, 'POST', `/auth/password/reset?tenant_id=${acme.id}`, {
      json: { code, username: 'resetme', encrypted_commitment: reg.encrypted_commitment, proto_version: 1 },
    });
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatch(/not valid/);
  });

  test('answers the same for an unknown user or a wrong email, and mails nothing', async () => {
    const before = await server.sql('select count(*)::int as n from outbox_message');
    for (const json of [{ username: 'nobody', email: 'x@example.com' }, { username: 'ada', email: 'not-ada@example.com' }]) {
      const r = await call(server.url, 'POST', `/auth/password/reset-request?tenant_id=${acme.id}&client_id=web`, { json });
      expect(r.status).toBe(200);
      expect(r.body).toBeNull();
    }
    expect(await server.sql('select count(*)::int as n from outbox_message')).toEqual(before);
  });

  test('refuses an expired code and validates bodies', async () => {
    await registerUser(server.url, acme.id, 'expiring', 'secret');
    await call(server.url, 'POST', `/auth/password/reset-request?tenant_id=${acme.id}&client_id=web`, {
      json: { username: 'expiring', email: 'expiring@example.com' },
    });
    const [message] = await server.sql(`select payload from outbox_message where recipient = 'expiring@example.com'`);
    await server.sql(`update password_reset_code set expires_at = now() - interval '1 second'`);
    const keys = await deriveZkpKeys('n', { tenantId: acme.id, username: 'expiring' });
    const reg = await registrationBody(keys, 'expiring@example.com');
    const r = await call(server.url, 'POST', `/auth/password/reset?tenant_id=${acme.id}`, {
      json: { code: message.payload.code, username: 'expiring', encrypted_commitment: reg.encrypted_commitment, proto_version: 1 },
    });
    expect(r.status).toBe(400);
    expect((await call(server.url, 'POST', `/auth/password/reset?tenant_id=${acme.id}`, { json: { code: 'x' } })).status).toBe(422);
    expect((await call(server.url, 'POST', `/auth/password/reset-request?tenant_id=${acme.id}`, { json: { username: 'a', email: 'a@example.com' } })).status).toBe(422);
    expect((await call(server.url, 'POST', `/auth/password/reset-request?tenant_id=nope&client_id=web`, { json: { username: 'a', email: 'a@example.com' } })).status).toBe(404);
  });
});

describe('POST /auth/password/change', () => {
  async function keyFor(username: string, scopes: string[]) {
    const user = await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/${username}`, { headers: vaultHeaders(acme) });
    const r = await call(server.url, 'POST', '/api-keys', {
      headers: vaultHeaders(acme), json: { name: 'k', scopes, tenant_id: acme.id, user_id: user.body.user_id },
    });
    return r.body.api_key as string;
  }

  test('a user replaces its own commitment with a per-user key holding profile:write', async () => {
    const old = await registerUser(server.url, acme.id, 'changer', 'first secret');
    const key = await keyFor('changer', ['profile:write']);
    const fresh = await deriveZkpKeys('second secret', { tenantId: acme.id, username: 'changer' });
    const { encrypted_commitment } = await registrationBody(fresh, 'changer@example.com');
    const r = await call(server.url, 'POST', '/auth/password/change', {
      headers: { 'X-API-Key': key }, json: { encrypted_commitment, proto_version: 1 },
    });
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
    expect((await login(server.url, acme.id, old, fromIp(freshIp()))).status).toBe(401);
    expect((await login(server.url, acme.id, fresh, fromIp(freshIp()))).status).toBe(200);
  });

  test('refuses without the scope or with an organization key (403), none (401), bad bodies (422)', async () => {
    await registerUser(server.url, acme.id, 'nochange', 'secret');
    const weak = await keyFor('nochange', ['users:read']);
    const keys = await deriveZkpKeys('other', { tenantId: acme.id, username: 'nochange' });
    const { encrypted_commitment } = await registrationBody(keys, 'x@example.com');
    const json = { encrypted_commitment, proto_version: 1 };
    expect((await call(server.url, 'POST', '/auth/password/change', { headers: { 'X-API-Key': weak }, json })).status).toBe(403);
    expect((await call(server.url, 'POST', '/auth/password/change', { headers: vaultHeaders(acme), json })).status).toBe(403);
    expect((await call(server.url, 'POST', '/auth/password/change', { json })).status).toBe(401);
    const strong = await keyFor('nochange', ['profile:write']);
    for (const bad of [{}, { encrypted_commitment: 'AQID', proto_version: 1 }, { ...json, proto_version: 7 }]) {
      expect((await call(server.url, 'POST', '/auth/password/change', { headers: { 'X-API-Key': strong }, json: bad })).status).toBe(422);
    }
  });
});

describe('housekeeping', () => {
  test('purges challenges and reset codes long past expiry, and nothing live', async () => {
    const live = await challengeFor(server.url, acme.id, ada);
    const old = await challengeFor(server.url, acme.id, ada);
    await server.sql(`update zkp_challenge set expires_at = now() - interval '2 hours' where id = $1`, [old.body.challenge_id]);
    const { purgeExpiredLoginRows } = await import('../../src/domain/login/zkp-login.service.ts');
    await purgeExpiredLoginRows(server.db.orm.em.fork());
    const ids = (await server.sql(`select id from zkp_challenge`)).map((r) => r.id);
    expect(ids).toContain(live.body.challenge_id);
    expect(ids).not.toContain(old.body.challenge_id);
  });
});

describe('PUT /tenants/{tenant_id}/users/{user_id}/email', () => {
  let keys: ZkpKeys;
  let userId: string;
  let userKey: string;

  beforeAll(async () => {
    keys = await registerUser(server.url, acme.id, 'mailer', 'mailer secret');
    userId = (await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/mailer`, { headers: vaultHeaders(acme) })).body.user_id;
    userKey = (await call(server.url, 'POST', '/api-keys', {
      headers: vaultHeaders(acme), json: { name: 'k', scopes: ['profile:write'], tenant_id: acme.id, user_id: userId },
    })).body.api_key;
  });

  const proofBody = async (k: ZkpKeys, email: string) => {
    const ch = await challengeFor(server.url, acme.id, k, fromIp(freshIp()));
    const { challenge_id, challenge_data } = authenticateBody(k, ch.body);
    return { challenge_id, challenge_data, email };
  };
  const put = (json: unknown, headers: Record<string, string> = { 'X-API-Key': userKey }, id = userId, tenant = acme.id) =>
    call(server.url, 'PUT', `/tenants/${tenant}/users/${id}/email`, { headers: { ...headers, ...fromIp(freshIp()) }, json });

  test('changes the email when a fresh proof of the secret comes with it', async () => {
    const r = await put(await proofBody(keys, 'mailer.new@example.com'));
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
    const user = await call(server.url, 'GET', `/tenants/${acme.id}/users/${userId}`, { headers: vaultHeaders(acme) });
    expect(user.body.email).toBe('mailer.new@example.com');
    const [challenge] = await server.sql(`select commitment from zkp_challenge where username = 'mailer' order by created_at desc limit 1`);
    expect(challenge.commitment).not.toContain(keys.cipherKey);
  });

  test('a wrong secret, a reused challenge or another user\'s proof answer 401 and change nothing', async () => {
    const wrong = await deriveZkpKeys('not it', { tenantId: acme.id, username: 'mailer' });
    expect((await put(await proofBody(wrong, 'x1@example.com'))).status).toBe(401);
    const body = await proofBody(keys, 'x2@example.com');
    expect((await put(body)).status).toBe(200);
    expect((await put({ ...body, email: 'x3@example.com' })).status).toBe(401);
    const adaProof = await proofBody(ada, 'x4@example.com');
    expect((await put(adaProof)).status).toBe(401);
    const user = await call(server.url, 'GET', `/tenants/${acme.id}/users/${userId}`, { headers: vaultHeaders(acme) });
    expect(user.body.email).toBe('x2@example.com');
  });

  test('isolation, scope, conflicts and bad bodies', async () => {
    const adaId = (await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/ada`, { headers: vaultHeaders(acme) })).body.user_id;
    expect((await put(await proofBody(ada, 'y1@example.com'), { 'X-API-Key': userKey }, adaId)).status).toBe(403);
    expect((await put(await proofBody(keys, 'y2@example.com'), vaultHeaders(other))).status).toBe(404);
    expect((await put(await proofBody(keys, 'y3@example.com'), {})).status).toBe(401);
    const weak = (await call(server.url, 'POST', '/api-keys', {
      headers: vaultHeaders(acme), json: { name: 'w', scopes: ['users:read'], tenant_id: acme.id, user_id: userId },
    })).body.api_key;
    expect((await put(await proofBody(keys, 'y4@example.com'), { 'X-API-Key': weak })).status).toBe(403);
    expect((await put(await proofBody(keys, 'ada@example.com'))).status).toBe(409);
    for (const json of [{}, { challenge_id: 'c', challenge_data: 'd', email: 'nope' }, { challenge_id: 1, challenge_data: 'd', email: 'a@example.com' }]) {
      expect((await put(json)).status).toBe(422);
    }
  });
});
