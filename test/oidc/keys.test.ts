// Signing keys: encrypted at rest under the master key, rotated by `npm run keys:rotate` with an
// overlap window during which the old keys stay in the JWKS.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../helpers/process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { call } from '../helpers/http.ts';
import { KeyStore, decryptPrivateJwk, encryptPrivateJwk } from '../../src/domain/oauth/keys.ts';
import { jest } from '@jest/globals';

// Starting a second server process can take tens of seconds on a loaded CI machine.
jest.setTimeout(120_000);

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

const master = () => Buffer.from(server.config.masterKey!, 'hex');

test('private keys only decrypt with the master key they were sealed with, and not when tampered', () => {
  const sealed = encryptPrivateJwk(master(), 'kid1', { kty: 'oct', k: 'secret' });
  expect(decryptPrivateJwk(master(), 'kid1', sealed)).toEqual({ kty: 'oct', k: 'secret' });
  expect(() => decryptPrivateJwk(crypto.randomBytes(32), 'kid1', sealed)).toThrow(/master key/);
  expect(() => decryptPrivateJwk(master(), 'other-kid', sealed)).toThrow();
  const parts = sealed.split('.');
  parts[3] = Buffer.from('x' + Buffer.from(parts[3], 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url');
  expect(() => decryptPrivateJwk(master(), 'kid1', parts.join('.'))).toThrow();
});

test('npm run keys:rotate adds new keys; the old ones stay published for the overlap window', async () => {
  const before = (await call(server.url, 'GET', '/.well-known/jwks.json')).body.keys.map((k: any) => k.kid);
  expect(before).toHaveLength(3);
  const { stdout } = await promisify(execFile)('node', ['src/cli/keys-rotate.ts'], {
    env: { ...process.env, DATABASE_URL: server.databaseUrl, IDGRAPH_MASTER_KEY: server.config.masterKey, KEY_ROTATION_OVERLAP_SECONDS: '3600', LOG_LEVEL: 'silent' },
  });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result.rotated.sort()).toEqual([...before].sort());
  expect(result.created).toHaveLength(3);

  const store = new KeyStore(server.db.orm, master(), 0);
  const jwks = await store.publicJwks();
  expect(jwks.keys.map((k) => k.kid).sort()).toEqual([...before, ...result.created.map((c: any) => c.kid)].sort());
  expect(result.created.map((c: any) => c.kid)).toContain((await store.signingKey('ES256')).kid);

  await server.sql(`update signing_key set retires_at = now() - interval '1 second' where rotated_at is not null`);
  const after = await new KeyStore(server.db.orm, master(), 0).publicJwks();
  expect(after.keys.map((k) => k.kid).sort()).toEqual(result.created.map((c: any) => c.kid).sort());
});

test('a server with another master key refuses to start on these keys', async () => {
  const store = new KeyStore(server.db.orm, crypto.randomBytes(32), 0);
  await expect(store.load()).rejects.toThrow(/does not decrypt.*every server process on one database needs the same IDGRAPH_MASTER_KEY/);
});

describe('a second process on the same DATABASE_URL', () => {
  let dataDir: string;
  beforeAll(async () => { dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'idgraph-keys-')); });
  afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

  test('without IDGRAPH_MASTER_KEY: exits saying every process needs the same key, and writes no key file', async () => {
    await expect(startServerProcess(server.databaseUrl, '', { DATA_DIR: dataDir }))
      .rejects.toThrow(/database already holds signing keys.*every server process on one database needs the same IDGRAPH_MASTER_KEY/);
    expect(existsSync(path.join(dataDir, 'master.key'))).toBe(false);
  });

  test('with another IDGRAPH_MASTER_KEY: exits saying the same', async () => {
    await expect(startServerProcess(server.databaseUrl, crypto.randomBytes(32).toString('hex'), { DATA_DIR: dataDir }))
      .rejects.toThrow(/Signing key \S+ does not decrypt.*every server process on one database needs the same IDGRAPH_MASTER_KEY/);
  });

  test('keys:rotate with another key refuses before adding keys no server could open', async () => {
    const before = await server.sql('select count(*)::int n from signing_key');
    await expect(promisify(execFile)('node', ['src/cli/keys-rotate.ts'], {
      env: { ...process.env, DATABASE_URL: server.databaseUrl, IDGRAPH_MASTER_KEY: crypto.randomBytes(32).toString('hex'), LOG_LEVEL: 'silent' },
    })).rejects.toThrow(/does not decrypt.*same IDGRAPH_MASTER_KEY/);
    expect(await server.sql('select count(*)::int n from signing_key')).toEqual(before);
  });
});

test('expired OAuth rows are purged a day after expiry; live ones stay', async () => {
  const { purgeExpiredOAuthRows } = await import('../../src/domain/oauth/purge.queries.ts');
  const org = await server.createOrg('Purge');
  const orgRow = org.id;
  const [client] = await server.sql(
    `insert into oauth_client (id, client_id, organization_id, name, grant_types, scopes, redirect_uris, post_logout_redirect_uris, details, created_at, updated_at)
     values (gen_random_uuid(), 'purge-app', $1, 'P', '[]', '[]', '[]', '[]', '{}', now(), now()) returning id`, [orgRow]);
  for (const [hash, expires] of [['a'.repeat(64), `now() - interval '2 days'`], ['b'.repeat(64), `now() + interval '1 hour'`]]) {
    await server.sql(`insert into oauth_token (token_hash, kind, grant_id, organization_id, client_id, issuer, scope, issued_at, expires_at)
      values ($1, 'access', gen_random_uuid(), $2, $3, 'x', '', now(), ${expires})`, [hash, orgRow, client.id]);
  }
  const counts = await purgeExpiredOAuthRows(server.db.orm.em.fork());
  expect(counts.oauth_token).toBe(1);
  expect((await server.sql(`select token_hash from oauth_token where client_id = $1`, [client.id])).map((r) => r.token_hash)).toEqual(['b'.repeat(64)]);
});
