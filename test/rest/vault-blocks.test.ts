import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { call, vaultHeaders } from '../helpers/http.ts';
import { enableRegistration, fromIp, login, registerUser } from '../helpers/zkp.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { deriveZkpKeys, type ZkpKeys } from '../../src/zkp/client.ts';
import { jest } from '@jest/globals';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

let server: TestServer;
let acme: TestOrg;
let other: TestOrg;
let ada: ZkpKeys;
let adaWrong: ZkpKeys;
let bob: ZkpKeys;

beforeAll(async () => {
  server = await startTestServer({ trustProxyHops: 1, outboxPollMs: 0 });
  acme = await server.createOrg('Acme');
  other = await server.createOrg('Other');
  await enableRegistration(server.url, acme, acme.id);
  ada = await registerUser(server.url, acme.id, 'ada', 'ada secret');
  bob = await registerUser(server.url, acme.id, 'bob', 'bob secret');
  adaWrong = await deriveZkpKeys('guess', { tenantId: acme.id, username: 'ada' });
});
afterAll(() => server.close());

const as = (org: TestOrg) => ({ headers: vaultHeaders(org) });
const expireBlocks = () => server.sql(`update login_throttle set blocked_until = now() - interval '1 second'`);
const setBlockConfig = (block_config: Record<string, number>) =>
  call(server.url, 'PUT', `/tenants/${acme.id}`, { ...as(acme), json: { display_name: 'Acme', register_enable: true, block_config } });

describe('blocking per IP', () => {
  test('the 6th login from one IP is blocked with 429 and Retry-After, before the proof is checked', async () => {
    const ip = fromIp('192.0.2.10');
    for (let i = 0; i < 5; i++) expect((await login(server.url, acme.id, adaWrong, ip)).status).toBe(401);
    const sixth = await login(server.url, acme.id, ada, ip); // the right secret: still refused
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(sixth.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(sixth.body).toEqual({ detail: expect.any(String) });
    // Another IP is not blocked (ada's own counter is below the user limit of 15).
    expect((await login(server.url, acme.id, ada, fromIp('192.0.2.11'))).status).toBe(200);
  });

  test('GET /tenants/{id}/blocked-ips lists the block; a repeat block doubles', async () => {
    let r = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips`, as(acme));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      data: [{ ip: '192.0.2.10', tenant_id: acme.id, blocked_at: expect.any(String), block_time_seconds: 60 }],
      has_next: false, total_count: 1,
    });
    await expireBlocks();
    const ip = fromIp('192.0.2.10');
    for (let i = 0; i < 5; i++) expect((await login(server.url, acme.id, adaWrong, ip)).status).toBe(401);
    const blocked = await login(server.url, acme.id, ada, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(110);
    r = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips`, as(acme));
    expect(r.body.data[0].block_time_seconds).toBe(120);
  });

  test('an admin lifts an IP block with DELETE; a second DELETE answers 404', async () => {
    const r = await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-ips/192.0.2.10`, as(acme));
    expect(r.status).toBe(204);
    expect((await login(server.url, acme.id, ada, fromIp('192.0.2.10'))).status).toBe(200);
    expect((await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-ips/192.0.2.10`, as(acme))).status).toBe(404);
  });

  test('the block doubles up to max_block_time_minutes', async () => {
    expect((await setBlockConfig({ ip_attempts_limit: 1, initial_block_seconds: 40, max_block_time_minutes: 1 })).status).toBe(200);
    const ip = fromIp('192.0.2.50');
    const seconds: number[] = [];
    for (let round = 0; round < 3; round++) {
      expect((await login(server.url, acme.id, adaWrong, ip)).status).toBe(401);
      const r = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips`, as(acme));
      seconds.push(r.body.data.find((b: any) => b.ip === '192.0.2.50').block_time_seconds);
      await expireBlocks();
    }
    expect(seconds).toEqual([40, 60, 60]);
    expect((await setBlockConfig({ ip_attempts_limit: 5, initial_block_seconds: 60, max_block_time_minutes: 2880 })).status).toBe(200);
    await server.sql(`delete from login_throttle`);
  });
});

describe('blocking per user', () => {
  test('user_attempts_limit failures from any IPs block the user; blocked-users lists it; an admin lifts it', async () => {
    expect((await setBlockConfig({ user_attempts_limit: 3 })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login(server.url, acme.id, adaWrong, fromIp(`198.51.100.${i + 1}`))).status).toBe(401);
    expect((await login(server.url, acme.id, ada, fromIp('198.51.100.99'))).status).toBe(429);
    expect((await login(server.url, acme.id, bob, fromIp('198.51.100.99'))).status).toBe(200);

    const list = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-users?page=0&page_size=10&sort_direction=1`, as(acme));
    expect(list.status).toBe(200);
    expect(list.body.total_count).toBe(1);
    const [entry] = list.body.data;
    expect(entry).toEqual({
      user_id: expect.any(String), username: 'ada', email: 'ada@example.com', tenant_id: acme.id,
      blocked_at: expect.any(String), block_time_seconds: 60,
    });
    // Another organization cannot see or lift it.
    expect((await call(server.url, 'GET', `/tenants/${acme.id}/blocked-users`, as(other))).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-users/${entry.user_id}`, as(other))).status).toBe(404);
    expect((await login(server.url, acme.id, ada, fromIp('198.51.100.98'))).status).toBe(429);

    expect((await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-users/${entry.user_id}`, as(acme))).status).toBe(204);
    expect((await login(server.url, acme.id, ada, fromIp('198.51.100.97'))).status).toBe(200);
    expect((await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-users/${entry.user_id}`, as(acme))).status).toBe(404);
    expect((await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-users/not-a-user`, as(acme))).status).toBe(404);
  });

  test('unknown usernames are blocked the same way (no enumeration) but not listed', async () => {
    const ghost = await deriveZkpKeys('x', { tenantId: acme.id, username: 'ghost' });
    for (let i = 0; i < 3; i++) expect((await login(server.url, acme.id, ghost, fromIp(`198.51.101.${i + 1}`))).status).toBe(401);
    expect((await login(server.url, acme.id, ghost, fromIp('198.51.101.50'))).status).toBe(429);
    const list = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-users`, as(acme));
    expect(list.body.data.map((b: any) => b.username)).not.toContain('ghost');
    expect((await setBlockConfig({ user_attempts_limit: 15 })).status).toBe(200);
    await server.sql(`delete from login_throttle`);
  });
});

describe('listing', () => {
  test('pages with page, page_size and sort_direction', async () => {
    await server.sql(`insert into login_throttle (organization_id, kind, subject, failures, window_started_at, block_level, blocked_at, block_seconds, blocked_until)
      select $1, 'ip', '10.0.0.' || g, 0, now(), 1, now() - make_interval(secs => g), 60, now() + interval '60 seconds'
      from generate_series(1, 5) g`, [acme.id]);
    const first = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips?page=0&page_size=2`, as(acme));
    expect(first.body).toMatchObject({ has_next: true, total_count: 5 });
    expect(first.body.data.map((b: any) => b.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    const last = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips?page=2&page_size=2`, as(acme));
    expect(last.body).toMatchObject({ has_next: false, total_count: 5 });
    expect(last.body.data.map((b: any) => b.ip)).toEqual(['10.0.0.5']);
    const asc = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips?page_size=1&sort_direction=1`, as(acme));
    expect(asc.body.data[0].ip).toBe('10.0.0.5');
    const beyond = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips?page=9&page_size=2`, as(acme));
    expect(beyond.body).toEqual({ data: [], has_next: false, total_count: 5 });
    await server.sql(`delete from login_throttle`);
  });

  test.each([
    ['page_size=0'], ['page_size=501'], ['page=-1'], ['sort_direction=2'], ['page=abc'],
  ])('answers 422 for %s', async (query) => {
    const r = await call(server.url, 'GET', `/tenants/${acme.id}/blocked-ips?${query}`, as(acme));
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc[0]).toBe('query');
  });

  test('answers 401 without or with a wrong key, 404 for another or unknown tenant', async () => {
    for (const path of ['blocked-ips', 'blocked-users']) {
      expect((await call(server.url, 'GET', `/tenants/${acme.id}/${path}`)).status).toBe(401);
      expect((await call(server.url, 'GET', `/tenants/${acme.id}/${path}`, { headers: { 'X-API-Key': 'wrong' } })).status).toBe(401);
      expect((await call(server.url, 'GET', `/tenants/${acme.id}/${path}`, as(other))).status).toBe(404);
      expect((await call(server.url, 'GET', `/tenants/unknown/${path}`, as(acme))).status).toBe(404);
    }
    expect((await call(server.url, 'DELETE', `/tenants/${acme.id}/blocked-ips/1.2.3.4`)).status).toBe(401);
  });
});

describe('two server processes on one database', () => {
  let second: ServerProcess;
  beforeAll(async () => { second = await startServerProcess(server.databaseUrl, server.config.masterKey!, { TRUST_PROXY: 'true' }); }, 120_000);
  afterAll(() => second?.stop());

  test('agree on an IP block whichever process counted the failures', async () => {
    const ip = fromIp('192.0.2.77');
    const servers = [server.url, second.url];
    for (let i = 0; i < 5; i++) {
      expect((await login(servers[i % 2], acme.id, adaWrong, ip)).status).toBe(401);
    }
    for (const url of servers) {
      const r = await login(url, acme.id, ada, ip);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBeTruthy();
    }
    const [row] = await server.sql(`select failures, block_seconds from login_throttle where subject = '192.0.2.77'`);
    expect(row).toEqual({ failures: 0, block_seconds: 60 });
  });

  test('concurrent failures from both processes block exactly once', async () => {
    const ip = fromIp('192.0.2.78');
    const servers = [server.url, second.url];
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => login(servers[i % 2], acme.id, adaWrong, ip)));
    expect(replies.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    const [row] = await server.sql(`select block_level, block_seconds from login_throttle where subject = '192.0.2.78'`);
    expect(row).toEqual({ block_level: 1, block_seconds: 60 });
  });
});

describe('challenges while blocked', () => {
  test('a blocked IP gets no challenge either (429), so it cannot fill the table', async () => {
    await server.sql(`delete from login_throttle`);
    const ip = fromIp('192.0.2.200');
    for (let i = 0; i < 5; i++) expect((await login(server.url, acme.id, adaWrong, ip)).status).toBe(401);
    const before = await server.sql('select count(*)::int as n from zkp_challenge');
    const r = await call(server.url, 'POST', `/auth/challenge?tenant_id=${acme.id}`, { headers: ip, json: { username: 'bob', cipherKey: 'k' } });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeTruthy();
    expect(await server.sql('select count(*)::int as n from zkp_challenge')).toEqual(before);
  });
});
