// Signing keys: RS256, ES256 and EdDSA, generated on first start, private parts encrypted at rest
// with AES-256-GCM under the master key, published in the JWKS with their kids. Rotation adds a new
// key per algorithm and keeps the old ones published for an overlap window.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { SigningKey } from './signing-key.entity.ts';
import { countSigningKeys, findCurrentSigningKeys, findSigningKeys, lockSigningKeys } from './signing-keys.queries.ts';
import type { Logger } from '../../log.ts';
import type { InvalidatedCache } from '../../db/invalidation.ts';
import { seal, unseal } from '../../crypto/sealed.ts';

export const SIGNING_ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlg = typeof SIGNING_ALGS[number];

/** What to do when one process's master key cannot open the keys another process sealed. */
const SAME_KEY_EVERYWHERE = 'every server process on one database needs the same IDGRAPH_MASTER_KEY: '
  + 'set it to the key the other processes use (a process without it uses or generates DATA_DIR/master.key, a key of its own)';

/**
 * The master key from IDGRAPH_MASTER_KEY (64 hex chars or base64 of 32 bytes), else a key file,
 * else a new key file — unless `orm`'s database already holds signing keys, which a new key
 * could never open (a second process on a shared DATABASE_URL without IDGRAPH_MASTER_KEY).
 */
export async function loadMasterKey(masterKey: string | undefined, dataDir: string, log: Logger, orm?: MikroORM): Promise<Buffer> {
  if (masterKey) {
    const key = /^[0-9a-f]{64}$/i.test(masterKey) ? Buffer.from(masterKey, 'hex') : Buffer.from(masterKey, 'base64');
    if (key.length !== 32) throw new Error('IDGRAPH_MASTER_KEY must be 32 bytes: 64 hex characters or base64');
    return key;
  }
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'hex');
  if (orm && await countSigningKeys(orm.em.fork()) > 0) {
    throw new Error(`IDGRAPH_MASTER_KEY is unset and ${file} does not exist, but the database already holds signing keys `
      + `sealed under a master key: ${SAME_KEY_EVERYWHERE}`);
  }
  log.info('master_key_generated', {
    warning: 'IDGRAPH_MASTER_KEY is unset: a master key was generated into the data directory; '
      + 'set IDGRAPH_MASTER_KEY in production and keep it out of backups of the database',
    file,
  });
  const key = crypto.randomBytes(32);
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

export function encryptPrivateJwk(masterKey: Buffer, kid: string, jwk: JWK): string {
  return seal(masterKey, JSON.stringify(jwk), kid);
}

export function decryptPrivateJwk(masterKey: Buffer, kid: string, sealed: string): JWK {
  let clear: Buffer;
  try {
    clear = unseal(masterKey, sealed, kid);
  } catch (error) {
    throw new Error(`Signing key ${kid} ${(error as Error).message}; ${SAME_KEY_EVERYWHERE}`);
  }
  return JSON.parse(clear.toString('utf8')) as JWK;
}

async function generateKey(em: EntityManager, masterKey: Buffer, alg: SigningAlg): Promise<SigningKey> {
  const { publicKey, privateKey } = alg === 'RS256'
    ? await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
    : await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = crypto.randomBytes(9).toString('base64url');
  return em.create(SigningKey, {
    kid, alg,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    privateJwkEncrypted: encryptPrivateJwk(masterKey, kid, privateJwk),
  });
}

const isLive = (key: SigningKey, now: Date) => !key.retiresAt || key.retiresAt > now;

/** Creates the missing key of each algorithm; safe to run from several processes at once. */
export async function ensureSigningKeys(em: EntityManager, masterKey: Buffer): Promise<void> {
  await em.transactional(async (tx) => {
    await lockSigningKeys(tx);
    const existing = await findCurrentSigningKeys(tx);
    for (const alg of SIGNING_ALGS) {
      if (!existing.some((k) => k.alg === alg)) await generateKey(tx, masterKey, alg);
    }
  });
}

/** New signing keys for every algorithm; the current ones stay published for `overlapSeconds`. */
export async function rotateSigningKeys(em: EntityManager, masterKey: Buffer, overlapSeconds: number) {
  return em.transactional(async (tx) => {
    await lockSigningKeys(tx);
    const now = new Date();
    const current = await findCurrentSigningKeys(tx);
    // New keys sealed under another master key would break every server: prove this one first.
    if (current[0]) decryptPrivateJwk(masterKey, current[0].kid, current[0].privateJwkEncrypted);
    for (const key of current) {
      key.rotatedAt = now;
      key.retiresAt = new Date(now.getTime() + overlapSeconds * 1000);
    }
    const created = [];
    for (const alg of SIGNING_ALGS) created.push(await generateKey(tx, masterKey, alg));
    return { rotated: current.map((k) => k.kid), created: created.map((k) => ({ kid: k.kid, alg: k.alg })) };
  });
}

/** The private key as node:crypto signs with it (src/crypto/compact-jws.ts). */
interface LoadedKey { kid: string; alg: SigningAlg; keyObject: crypto.KeyObject; publicJwk: JWK }

/**
 * The keys in memory (private keys decrypted once). A change of `signing_key` anywhere is announced
 * through the database (src/db/invalidation.ts) and makes the next use reload; besides, they are
 * reloaded at most every `refreshMs`, which also retires keys whose overlap ended. Without the
 * listening connection a rotation elsewhere is seen within `refreshMs`: harmless, since rotated
 * keys stay published for the overlap window and an unknown kid triggers a reload.
 */
export class KeyStore implements InvalidatedCache {
  private signing = new Map<SigningAlg, LoadedKey>();
  private jwks: { keys: JWK[] } = { keys: [] };
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private readonly orm: MikroORM;
  private readonly masterKey: Buffer;
  private readonly refreshMs: number;

  constructor(orm: MikroORM, masterKey: Buffer, refreshMs = 60_000) {
    this.orm = orm;
    this.masterKey = masterKey;
    this.refreshMs = refreshMs;
  }

  async load(): Promise<void> {
    const generation = this.generation;
    const em = this.orm.em.fork();
    await ensureSigningKeys(em, this.masterKey);
    const now = new Date();
    const keys = (await findSigningKeys(em)).filter((k) => isLive(k, now));
    const signing = new Map<SigningAlg, LoadedKey>();
    for (const key of keys) {
      const alg = key.alg as SigningAlg;
      if (key.rotatedAt || signing.has(alg)) continue;
      const privateJwk = decryptPrivateJwk(this.masterKey, key.kid, key.privateJwkEncrypted);
      const keyObject = crypto.createPrivateKey({ key: privateJwk as crypto.JsonWebKey, format: 'jwk' });
      signing.set(alg, { kid: key.kid, alg, keyObject, publicJwk: key.publicJwk as JWK });
    }
    this.signing = signing;
    this.jwks = { keys: keys.map((k) => k.publicJwk as JWK) };
    this.loadedAt = generation === this.generation ? Date.now() : 0;
  }

  invalidate(table: string) {
    if (table !== 'signing_key') return;
    this.generation++;
    this.loadedAt = 0;
  }

  setLive(live: boolean) {
    if (live) this.invalidate('signing_key'); // changes missed while not listening
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.refreshMs && this.signing.size) return;
    this.loading ??= this.load().finally(() => { this.loading = undefined; });
    await this.loading;
  }

  async signingKey(alg: SigningAlg): Promise<LoadedKey> {
    await this.fresh();
    const key = this.signing.get(alg);
    if (!key) throw new Error(`No signing key for ${alg}`);
    return key;
  }

  async publicJwks(): Promise<{ keys: JWK[] }> {
    await this.fresh();
    return this.jwks;
  }

  /** A public key by kid, reloading once when the kid is unknown (a rotation elsewhere). */
  async publicJwk(kid: string): Promise<JWK | undefined> {
    await this.fresh();
    let found = this.jwks.keys.find((k) => k.kid === kid);
    if (!found && Date.now() - this.loadedAt > 1000) {
      await this.load();
      found = this.jwks.keys.find((k) => k.kid === kid);
    }
    return found;
  }
}
