// Brute-force limits under concurrency: two real server processes on one database take bursts of
// parallel guesses, and no more guesses are evaluated than the tenant's limit (block_config: 5 per
// IP, 15 per user). Counted from the replies: an evaluated guess answers 401 (the hosted form's
// guess that starts the block answers 429 saying the password was wrong), a refused one 429.
import crypto from 'node:crypto';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { call, vaultHeaders, type Reply } from '../helpers/http.ts';
import { challengeFor, enableRegistration, fromIp, registerUser } from '../helpers/zkp.ts';
import { Browser, createPersonWithPassword, formAction, hidden } from '../oidc/browser.ts';
import { authenticateBody, deriveZkpKeys, type ZkpKeys } from '../../src/zkp/client.ts';
import { jest } from '@jest/globals';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

const GUESSES = 50;
const IP_LIMIT = 5;
const USER_LIMIT = 15;
const PASSWORD = 'the right password';
const REDIRECT = 'https://app.example/cb';

let server: TestServer;
let second: ServerProcess;
let acme: TestOrg;
let ada: ZkpKeys;
let adaWrong: ZkpKeys;
let urls: string[];

beforeAll(async () => {
  server = await startTestServer({ trustProxyHops: 1, outboxPollMs: 0 });
  second = await startServerProcess(server.databaseUrl, server.config.masterKey!, { TRUST_PROXY: 'true' });
  urls = [server.url, second.url];
  acme = await server.createOrg('Acme');
  await enableRegistration(server.url, acme, acme.id);
  ada = await registerUser(server.url, acme.id, 'ada', 'ada secret');
  adaWrong = await deriveZkpKeys('a guess', { tenantId: acme.id, username: 'ada' });
  await createPersonWithPassword(server, acme.id, [{ type: 'username', value: 'pia' }], PASSWORD);
  const client = await call(server.url, 'POST', '/clients', {
    headers: vaultHeaders(acme), json: { client_id: 'app', name: 'App', tenant_id: acme.id, redirect_uris: [REDIRECT] },
  });
  expect(client.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await second?.stop();
  await server?.close();
});
afterEach(() => server.sql(`delete from login_throttle`));

const oneIp = () => '192.0.2.1';
const manyIps = (i: number) => `198.18.${Math.floor(i / 200)}.${(i % 200) + 1}`;

/**
 * Sends `GUESSES` wrong guesses at once, alternating between the two processes, and the right one
 * as soon as the first refusal comes back (so while the wrong ones are still in flight), or
 * (`rightInBurst`) right after the wrong ones, in the same burst.
 */
async function burst<R extends { status: number }>(send: (i: number, right: boolean) => Promise<R>, rightInBurst = false) {
  let refusedOnce!: () => void;
  const refused = new Promise<void>((resolve) => { refusedOnce = resolve; });
  const wrong = Promise.all(Array.from({ length: GUESSES }, (_, i) => send(i, false).then((r) => {
    if (r.status === 429) refusedOnce();
    return r;
  })));
  const right = rightInBurst ? send(GUESSES, true) : Promise.race([refused, wrong]).then(() => send(GUESSES, true));
  return { wrong: await wrong, right: await right };
}

const blocks = async (kind: 'ips' | 'users') =>
  (await call(server.url, 'GET', `/tenants/${acme.id}/blocked-${kind}`, { headers: vaultHeaders(acme) })).body;

describe('ZKP login (POST /auth/challenge + /auth/authenticate)', () => {
  async function zkpBurst(ipOf: (i: number) => string, rightInBurst = false) {
    // Challenges are not guesses: fetched first, so that the burst holds the guesses alone.
    const bodies = await Promise.all(Array.from({ length: GUESSES + 1 }, async (_, i) => {
      const keys = i === GUESSES ? ada : adaWrong;
      const challenge = await challengeFor(urls[i % 2], acme.id, keys, fromIp(ipOf(i)));
      expect(challenge.status).toBe(200);
      return authenticateBody(keys, challenge.body);
    }));
    return burst((i) => call(urls[i % 2], 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(ipOf(i)), json: bodies[i] }),
      rightInBurst);
  }

  function tally(replies: Reply[]) {
    expect(replies.map((r) => r.status).filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const refused = replies.filter((r) => r.status === 429);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    return { evaluated: replies.length - refused.length, refused: refused.length };
  }

  test(`${GUESSES} parallel guesses from one IP on two processes: ${IP_LIMIT} are evaluated, the right one is refused`, async () => {
    const { wrong, right } = await zkpBurst(oneIp);
    const counts = tally(wrong);
    console.log(`ZKP, one IP: ${counts.evaluated} evaluated, ${counts.refused} refused; the right secret: ${right.status}`);
    expect(counts).toEqual({ evaluated: IP_LIMIT, refused: GUESSES - IP_LIMIT });
    expect(right.status).toBe(429);
    // Blocked once (60 s, level 1), and both processes refuse the right secret now.
    expect((await blocks('ips')).data).toEqual([expect.objectContaining({ ip: oneIp(), block_time_seconds: 60 })]);
    for (const url of urls) {
      const challenge = await challengeFor(url, acme.id, ada, fromIp(oneIp()));
      expect(challenge.status).toBe(429);
    }
    // The username counted the checked guesses only, and no slot stays taken.
    expect(await server.sql(`select kind, failures, in_flight from login_throttle order by kind`)).toEqual([
      { kind: 'ip', failures: 0, in_flight: 0 }, { kind: 'user', failures: IP_LIMIT, in_flight: 0 }]);
  });

  test(`${GUESSES} parallel guesses from ${GUESSES} IPs against one user: ${USER_LIMIT} are evaluated, the right one is refused`, async () => {
    const { wrong, right } = await zkpBurst(manyIps);
    const counts = tally(wrong);
    console.log(`ZKP, ${GUESSES} IPs: ${counts.evaluated} evaluated, ${counts.refused} refused; the right secret: ${right.status}`);
    expect(counts).toEqual({ evaluated: USER_LIMIT, refused: GUESSES - USER_LIMIT });
    expect(right.status).toBe(429);
    expect((await blocks('users')).data).toEqual([expect.objectContaining({ username: 'ada', block_time_seconds: 60 })]);
    expect((await blocks('ips')).data).toEqual([]);
    for (const url of urls) {
      expect((await challengeFor(url, acme.id, ada, fromIp('198.19.0.1'))).status).toBe(429);
    }
  });

  // A success is no failure: it gives its slot back (and clears the username's failures), as
  // sequential logins always did; the wrong guesses checked stay within the limit either way.
  test('the right secret sent last in the same burst: still at most the limit of wrong guesses checked', async () => {
    const { wrong, right } = await zkpBurst(oneIp, true);
    const counts = tally(wrong);
    console.log(`ZKP, one IP, right secret inside: ${counts.evaluated} wrong evaluated, ${counts.refused} refused; the right secret: ${right.status}`);
    expect([200, 429]).toContain(right.status);
    expect(counts.evaluated).toBeLessThanOrEqual(IP_LIMIT);
    expect(counts.evaluated + counts.refused).toBe(GUESSES);
  });

  test('without a burst the right secret still signs in, and a success leaves no slot taken', async () => {
    for (let i = 0; i < IP_LIMIT + 2; i++) {
      const challenge = await challengeFor(urls[i % 2], acme.id, ada, fromIp(oneIp()));
      const r = await call(urls[i % 2], 'POST', `/auth/authenticate?tenant_id=${acme.id}`, {
        headers: fromIp(oneIp()), json: authenticateBody(ada, challenge.body),
      });
      expect(r.status).toBe(200);
    }
    expect(await server.sql(`select kind, failures, in_flight from login_throttle order by kind`))
      .toEqual([{ kind: 'ip', failures: 0, in_flight: 0 }, { kind: 'user', failures: 0, in_flight: 0 }]);
  });

  const guess = async (keys: ZkpKeys, ip: string) => {
    const challenge = await challengeFor(server.url, acme.id, keys, fromIp(ip));
    if (challenge.status !== 200) return challenge;
    return call(server.url, 'POST', `/auth/authenticate?tenant_id=${acme.id}`, { headers: fromIp(ip), json: authenticateBody(keys, challenge.body) });
  };
  const setIpLimit = (ip_attempts_limit: number) => call(server.url, 'PUT', `/tenants/${acme.id}`, {
    headers: vaultHeaders(acme), json: { display_name: 'Acme', register_enable: true, block_config: { ip_attempts_limit } },
  });

  test('slots of a process that died mid-check are void after a minute', async () => {
    await server.sql(`insert into login_throttle (organization_id, kind, subject, failures, window_started_at, in_flight, in_flight_since)
      values ($1, 'ip', '192.0.2.8', 0, now(), 5, now() - interval '2 minutes')`, [acme.id]);
    expect((await guess(ada, '192.0.2.8')).status).toBe(200);
    await server.sql(`update login_throttle set in_flight = 5, in_flight_since = now() where subject = '192.0.2.8'`);
    const refused = await guess(ada, '192.0.2.8');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
  });

  test('a limit lowered below the failures counted blocks on the next failure, which an admin can lift', async () => {
    try {
      for (let i = 0; i < 4; i++) expect((await guess(adaWrong, '192.0.2.9')).status).toBe(401);
      expect((await setIpLimit(2)).status).toBe(200);
      expect((await guess(adaWrong, '192.0.2.9')).status).toBe(401);
      expect((await guess(ada, '192.0.2.9')).status).toBe(429);
      expect((await blocks('ips')).data).toEqual([expect.objectContaining({ ip: '192.0.2.9', block_time_seconds: 60 })]);
      const lift = await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-ips/192.0.2.9`, { headers: vaultHeaders(acme) });
      expect(lift.status).toBe(204);
      expect((await guess(ada, '192.0.2.9')).status).toBe(200);
    } finally {
      expect((await setIpLimit(IP_LIMIT)).status).toBe(200);
    }
  });
});

describe('hosted password form (POST /oauth2/authorize/login)', () => {
  type FormReply = Awaited<ReturnType<Browser['request']>>;

  async function formBurst(ipOf: (i: number) => string) {
    const browser = new Browser();
    const authorize = `${server.url}/oauth2/authorize?${new URLSearchParams({
      client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's',
      code_challenge: crypto.randomBytes(32).toString('base64url'), code_challenge_method: 'S256',
    })}`;
    const page = (await browser.request(authorize)).html;
    const action = formAction(page)!;
    const form = { auth_req_id: hidden(page, 'auth_req_id')!, csrf_token: hidden(page, 'csrf_token')!, handle: 'pia' };
    return burst((i, right) => browser.request(action.replace(server.url, urls[i % 2]), {
      form: { ...form, password: right ? PASSWORD : `wrong ${i}` }, headers: fromIp(ipOf(i)),
    }));
  }

  function tally(replies: FormReply[]) {
    expect(replies.map((r) => r.status).filter((s) => s !== 401 && s !== 429)).toEqual([]);
    // Checked: 401, or 429 saying this password was wrong (its failure started the block).
    const evaluated = replies.filter((r) => r.html.includes('Wrong handle or password')).length;
    const refused = replies.filter((r) => r.status === 429 && !r.html.includes('Wrong handle or password'));
    for (const r of refused) {
      expect(r.html).toContain('Too many failed attempts');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    return { evaluated, refused: refused.length };
  }

  test(`${GUESSES} parallel passwords from one IP on two processes: ${IP_LIMIT} are checked, the right one is refused`, async () => {
    const { wrong, right } = await formBurst(oneIp);
    const counts = tally(wrong);
    console.log(`Password form, one IP: ${counts.evaluated} evaluated, ${counts.refused} refused; the right password: ${right.status}`);
    expect(counts).toEqual({ evaluated: IP_LIMIT, refused: GUESSES - IP_LIMIT });
    expect(right.status).toBe(429);
    expect(right.html).not.toContain('Wrong handle or password');
    expect((await blocks('ips')).data).toEqual([expect.objectContaining({ ip: oneIp(), block_time_seconds: 60 })]);
  });

  test(`${GUESSES} parallel passwords from ${GUESSES} IPs against one user: ${USER_LIMIT} are checked, the right one is refused`, async () => {
    const { wrong, right } = await formBurst(manyIps);
    const counts = tally(wrong);
    console.log(`Password form, ${GUESSES} IPs: ${counts.evaluated} evaluated, ${counts.refused} refused; the right password: ${right.status}`);
    expect(counts).toEqual({ evaluated: USER_LIMIT, refused: GUESSES - USER_LIMIT });
    expect(right.status).toBe(429);
    expect((await blocks('users')).data).toEqual([expect.objectContaining({ username: 'pia', block_time_seconds: 60 })]);
  });
});

describe('email change with a ZKP proof (PUT /tenants/{tenant_id}/users/{user_id}/email)', () => {
  test(`${GUESSES} parallel wrong proofs from one IP: ${IP_LIMIT} are checked, the right one is refused`, async () => {
    const mailer = await registerUser(server.url, acme.id, 'mailer', 'mailer secret');
    const mailerWrong = await deriveZkpKeys('a guess', { tenantId: acme.id, username: 'mailer' });
    const userId = (await call(server.url, 'GET', `/tenants/${acme.id}/users/by-username/mailer`, { headers: vaultHeaders(acme) })).body.user_id;
    const bodies = await Promise.all(Array.from({ length: GUESSES + 1 }, async (_, i) => {
      const keys = i === GUESSES ? mailer : mailerWrong;
      const challenge = await challengeFor(urls[i % 2], acme.id, keys, fromIp(oneIp()));
      const { challenge_id, challenge_data } = authenticateBody(keys, challenge.body);
      return { challenge_id, challenge_data, email: `mailer.${i}@example.com` };
    }));
    const { wrong, right } = await burst((i) => call(urls[i % 2], 'PUT', `/tenants/${acme.id}/users/${userId}/email`, {
      headers: { ...vaultHeaders(acme), ...fromIp(oneIp()) }, json: bodies[i],
    }));
    const statuses = wrong.map((r) => r.status);
    const evaluated = statuses.filter((s) => s === 401).length;
    console.log(`Email change, one IP: ${evaluated} evaluated, ${statuses.filter((s) => s === 429).length} refused; the right proof: ${right.status}`);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(evaluated).toBe(IP_LIMIT);
    expect(right.status).toBe(429);
    const user = await call(server.url, 'GET', `/tenants/${acme.id}/users/${userId}`, { headers: vaultHeaders(acme) });
    expect(user.body.email).toBe('mailer@example.com');
  });
});
