// The ES256 key that signs webhook bodies, kept apart from the token signing keys so a webhook JWT
// can never pass for an access token. Created once (the first process wins; the others read it),
// sealed under the master key, replaced by `npm run keys:rotate`. Every process reloads the keys
// each RELOAD_MS; a new key signs only once it is older than that, so every process publishes it
// in the JWKS before any receiver meets its kid. The replaced key keeps verifying for the overlap.
import crypto from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Sealer } from '../../crypto/sealed.ts';
import type { WebhookSigningKey } from './webhook.entity.ts';
import { findWebhookSigningKeys, insertWebhookSigningKey, replaceWebhookSigningKey } from './webhook.queries.ts';

const RELOAD_MS = 60_000;

interface Loaded { kid: string; privateKey: CryptoKey; jwks: { keys: JWK[] }; loadedAt: number }

async function newSigningKey(sealer: Sealer) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = crypto.randomBytes(6).toString('base64url');
  return {
    kid,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] },
    privateJwkSealed: sealer.seal(JSON.stringify(await exportJWK(privateKey)), kid),
  };
}

/** `npm run keys:rotate`: a new webhook key; the current one stops signing within RELOAD_MS and leaves the JWKS after the overlap. */
export async function rotateWebhookSigningKey(em: EntityManager, sealer: Sealer, overlapSeconds: number) {
  const current = (await findWebhookSigningKeys(em)).find((k) => !k.retiresAt);
  // A key sealed under another master key would stop every sender: prove this one opens the current key.
  if (current) sealer.unseal(current.privateJwkSealed, current.kid);
  const key = await newSigningKey(sealer);
  return { rotated: await replaceWebhookSigningKey(em, key, Math.max(overlapSeconds, (2 * RELOAD_MS) / 1000)), created: key.kid };
}

/** The oldest current key, or while it is younger than RELOAD_MS, the newest rotated-out one still published. */
function signingKeyOf(rows: WebhookSigningKey[], now: number): WebhookSigningKey {
  const current = rows.find((r) => !r.retiresAt)!;
  if (current.createdAt.getTime() <= now - RELOAD_MS) return current;
  return rows.filter((r) => r.retiresAt).at(-1) ?? current;
}

export class WebhookSigner {
  #loaded: Promise<Loaded> | undefined;
  readonly #orm: MikroORM;
  readonly #sealer: Sealer;

  constructor(orm: MikroORM, sealer: Sealer) {
    this.#orm = orm;
    this.#sealer = sealer;
  }

  async #load(): Promise<Loaded> {
    const em = this.#orm.em.fork() as EntityManager;
    let rows = await findWebhookSigningKeys(em);
    if (!rows.some((r) => !r.retiresAt)) {
      await insertWebhookSigningKey(em, await newSigningKey(this.#sealer));
      rows = await findWebhookSigningKeys(em.fork());
    }
    const signing = signingKeyOf(rows, Date.now());
    const privateJwk = JSON.parse(this.#sealer.unseal(signing.privateJwkSealed, signing.kid).toString('utf8')) as JWK;
    return {
      kid: signing.kid,
      privateKey: await importJWK(privateJwk, 'ES256') as CryptoKey,
      jwks: { keys: rows.map((r) => r.publicJwk as JWK) },
      loadedAt: Date.now(),
    };
  }

  async #ready(): Promise<Loaded> {
    const loaded = await (this.#loaded ??= this.#load().catch((error) => { this.#loaded = undefined; throw error; }));
    if (Date.now() - loaded.loadedAt < RELOAD_MS) return loaded;
    const reloading = this.#load();
    this.#loaded = reloading.catch(() => loaded); // a failed reload keeps the keys it had
    return this.#loaded;
  }

  async jwks(): Promise<{ keys: JWK[] }> { return (await this.#ready()).jwks; }

  /** A compact ES256 JWT of `claims`, valid for 300 s. */
  async sign(claims: Record<string, unknown>): Promise<string> {
    const { kid, privateKey } = await this.#ready();
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, iat, exp: iat + 300 }).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
  }
}
