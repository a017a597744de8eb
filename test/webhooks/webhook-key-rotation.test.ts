// The webhook signing key is replaced by `npm run keys:rotate`: the new key is published at once but
// signs only after every process has had time to publish it; the old one verifies until its overlap ends.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { Sealer } from '../../src/crypto/sealed.ts';
import { rotateWebhookSigningKey, WebhookSigner } from '../../src/domain/webhook/webhook-signer.ts';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

const sealer = () => new Sealer(Buffer.from(server.config.masterKey!, 'hex'));
const signer = () => new WebhookSigner(server.db.orm, sealer());
const kidOf = async (s: WebhookSigner) => decodeProtectedHeader(await s.sign({ sub: 'x' })).kid;
const published = async (s: WebhookSigner) => (await s.jwks()).keys.map((k) => k.kid).sort();

test('keys:rotate publishes a new webhook key, which signs once every process has published it', async () => {
  const first = await kidOf(signer());
  const { stdout } = await promisify(execFile)('node', ['src/cli/keys-rotate.ts'], {
    env: { ...process.env, DATABASE_URL: server.databaseUrl, IDGRAPH_MASTER_KEY: server.config.masterKey, KEY_ROTATION_OVERLAP_SECONDS: '3600', LOG_LEVEL: 'silent' },
  });
  const { webhook } = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(webhook.rotated).toEqual([first]);

  // Younger than a reload interval: published, but the old key still signs.
  expect(await published(signer())).toEqual([first, webhook.created].sort());
  expect(await kidOf(signer())).toBe(first);

  await server.sql(`update webhook_signing_key set created_at = now() - interval '2 minutes' where kid = '${webhook.created}'`);
  expect(await kidOf(signer())).toBe(webhook.created);
  expect(await published(signer())).toEqual([first, webhook.created].sort());

  // The overlap over, the old key leaves the JWKS.
  await server.sql(`update webhook_signing_key set retires_at = now() - interval '1 second' where kid = '${first}'`);
  expect(await published(signer())).toEqual([webhook.created]);
});

test('a rotation under another master key refuses before adding a key no sender could open', async () => {
  const before = await published(signer());
  await expect(rotateWebhookSigningKey(server.db.orm.em.fork(), new Sealer(crypto.randomBytes(32)), 3600)).rejects.toThrow();
  expect(await published(signer())).toEqual(before);
});

test('parallel rotations leave exactly one current key', async () => {
  await Promise.all([1, 2, 3].map(() => rotateWebhookSigningKey(server.db.orm.em.fork(), sealer(), 3600)));
  const rows = await server.sql('select kid from webhook_signing_key where retires_at is null');
  expect(rows).toHaveLength(1);
});
