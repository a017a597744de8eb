// A client's token is answered before its row is written (src/domain/oauth/token-write-behind.ts).
// Two real server processes on one database: the token must read active at once in both, a
// revocation that beats the write must win in both, nothing may be written for a token we did not
// sign, and a closing server must write every token it answered.
import crypto from 'node:crypto';
import { jest } from '@jest/globals';
import { SignJWT } from 'jose';
import { startTestServer, type TestServer, type TestOrg } from '../helpers/server.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { call, slashidHeaders } from '../helpers/http.ts';
import { insertTokens } from '../../src/domain/oauth/oauth.queries.ts';

jest.setTimeout(120_000);

let server: TestServer;
let second: ServerProcess;
let acme: TestOrg;
let client: { id: string; secret: string };

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

async function post(base: string, path: string, fields: Record<string, string>) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST', body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.id, client.secret) },
  });
  return { status: response.status, body: await response.text() };
}

async function token(base: string): Promise<string> {
  const r = await post(base, '/oauth2/tokens', { grant_type: 'client_credentials', scope: 'read' });
  expect(r.status).toBe(200);
  return JSON.parse(r.body).access_token;
}

const active = async (base: string, value: string) =>
  JSON.parse((await post(base, '/oauth2/tokens/introspect', { token: value })).body).active as boolean;

const rowOf = async (value: string) =>
  (await server.sql<{ revoked: boolean }>('select revoked_at is not null as revoked from oauth_token where token_hash = $1', [sha256(value)]))[0];

async function written(value: string) {
  for (let i = 0; i < 100 && !(await rowOf(value)); i++) await new Promise((r) => setTimeout(r, 20));
  return rowOf(value);
}

// Both processes serve one issuer, as behind one load balancer.
const PUBLIC_URL = 'https://id.example.test';

beforeAll(async () => {
  server = await startTestServer({ publicUrl: PUBLIC_URL });
  acme = await server.createOrg('Acme');
  second = await startServerProcess(server.databaseUrl, server.config.masterKey!, { PUBLIC_URL });
  const r = await call(server.url, 'POST', '/oauth2/clients', {
    headers: slashidHeaders(acme), json: { client_name: 'Machine', scopes: ['read'], grant_types: ['client_credentials'] },
  });
  expect(r.status).toBe(201);
  client = { id: r.body.result.client_id, secret: r.body.result.client_secret };
});
afterAll(async () => {
  await second?.stop();
  await server.close();
});

test('a client token is active at once, in the process that issued it and in another', async () => {
  for (let i = 0; i < 10; i++) {
    const here = await token(server.url);
    const [a, b] = await Promise.all([active(server.url, here), active(second.url, here)]);
    expect([a, b]).toEqual([true, true]);
    const there = await token(second.url);
    expect(await Promise.all([active(second.url, there), active(server.url, there)])).toEqual([true, true]);
  }
});

test('a revocation that comes before the write wins, in both processes and in the table', async () => {
  for (let i = 0; i < 10; i++) {
    const value = await token(i % 2 ? server.url : second.url);
    // Revoked at once, through either process: often before the issuing process has written the row.
    expect((await post(i % 3 ? second.url : server.url, '/oauth2/tokens/revoke', { token: value })).status).toBe(200);
    expect(await Promise.all([active(server.url, value), active(second.url, value)])).toEqual([false, false]);
    expect(await written(value)).toEqual({ revoked: true });
    expect(await Promise.all([active(server.url, value), active(second.url, value)])).toEqual([false, false]);
  }
});

test('a revocation in another process while the issuing one is still writing the row wins there too', async () => {
  // The issuing process's INSERT (revoked_at null) waits 400 ms; the revocation's own write (revoked) does not.
  await server.sql(`create function slow_token_insert() returns trigger as $$
    begin if new.revoked_at is null then perform pg_sleep(0.4); end if; return new; end $$ language plpgsql`);
  await server.sql('create trigger slow_token_insert before insert on oauth_token for each row execute function slow_token_insert()');
  try {
    const value = await token(server.url);
    expect((await post(second.url, '/oauth2/tokens/revoke', { token: value })).status).toBe(200);
    expect(await Promise.all([active(server.url, value), active(second.url, value)])).toEqual([false, false]);
    expect(await written(value)).toEqual({ revoked: true });
  } finally {
    await server.sql('drop trigger slow_token_insert on oauth_token');
    await server.sql('drop function slow_token_insert()');
  }
});

test('the late INSERT of a token revoked first leaves it revoked', async () => {
  const value = await token(server.url);
  await written(value);
  const [row] = await server.sql('select * from oauth_token where token_hash = $1', [sha256(value)]);
  await server.sql('delete from oauth_token where token_hash = $1', [sha256(value)]); // as if not written yet
  expect((await post(second.url, '/oauth2/tokens/revoke', { token: value })).status).toBe(200);
  expect(await rowOf(value)).toEqual({ revoked: true });
  await insertTokens(server.db.orm.em.fork(), [{
    tokenHash: row.token_hash, kind: 'access', grantId: row.grant_id, organizationId: row.organization_id, clientId: row.client_id,
    personId: null, issuer: row.issuer, scope: row.scope, authTime: null, sid: null, issuedAt: row.issued_at, expiresAt: row.expires_at,
    authentication: null,
  }]);
  expect(await rowOf(value)).toEqual({ revoked: true });
  expect(await active(server.url, value)).toBe(false);
});

test('token rows are stored alike by the prepared INSERT and by the one inside a transaction', async () => {
  const value = await token(server.url);
  await written(value);
  const [row] = await server.sql('select * from oauth_token where token_hash = $1', [sha256(value)]);
  const base = {
    kind: 'access' as const, grantId: row.grant_id, organizationId: row.organization_id, clientId: row.client_id, personId: null,
    issuer: row.issuer, scope: "read it's \"quoted\", {braced}", authTime: new Date('2026-12-03T01:02:03.456Z'), sid: null,
    issuedAt: new Date('2026-12-03T01:02:03.456Z'), expiresAt: new Date('2026-12-03T02:02:03.456Z'),
    authentication: { method: 'password', handle: { type: 'username', value: 'a "quoted", {braced} value' } },
  };
  const hashes = [sha256(`${value}-prepared-1`), sha256(`${value}-prepared-2`), sha256(`${value}-in-transaction`)];
  await insertTokens(server.db.orm.em.fork(), [{ ...base, tokenHash: hashes[0] }, { ...base, tokenHash: hashes[1], authentication: null }]);
  await server.db.orm.em.fork().transactional((tx) => insertTokens(tx, [{ ...base, tokenHash: hashes[2] }]));
  const stored = await server.sql(`select token_hash, scope, auth_time, issued_at, expires_at, authentication
    from oauth_token where token_hash = any($1) order by token_hash`, [hashes]);
  const byHash = new Map(stored.map((r: { token_hash: string }) => [r.token_hash, r]));
  for (const hash of hashes) {
    expect(byHash.get(hash)).toMatchObject({
      scope: base.scope, auth_time: base.authTime, issued_at: base.issuedAt, expires_at: base.expiresAt,
      authentication: hash === hashes[1] ? null : base.authentication,
    });
  }
});

test('nothing is written for a token we did not sign, nor for one of another client', async () => {
  const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const ours = await token(server.url);
  await written(ours);
  const [header] = ours.split('.');
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
  const forged = await new SignJWT({ client_id: client.id, sub: client.id, scope: 'read' })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).setIssuedAt().setExpirationTime('1h').setIssuer(PUBLIC_URL).sign(privateKey);
  const before = (await server.sql('select count(*)::int as n from oauth_token'))[0].n;
  for (const value of [forged, `${ours.slice(0, -4)}AAAA`, 'x'.repeat(100), 'a.b.c']) {
    expect((await post(second.url, '/oauth2/tokens/revoke', { token: value })).status).toBe(200);
    expect(await rowOf(value)).toBeUndefined();
  }
  expect((await server.sql('select count(*)::int as n from oauth_token'))[0].n).toBe(before);
});

test('a closing server writes every token it answered', async () => {
  const third = await startServerProcess(server.databaseUrl, server.config.masterKey!, { PUBLIC_URL });
  const values = await Promise.all(Array.from({ length: 50 }, () => token(third.url)));
  await third.stop();
  const hashes = values.map(sha256);
  const rows = await server.sql('select count(*)::int as n from oauth_token where token_hash = any($1)', [hashes]);
  expect(rows[0].n).toBe(50);
});
