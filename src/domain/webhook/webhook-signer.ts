// The ES256 key that signs webhook bodies, kept apart from the token signing keys so a webhook JWT
// can never pass for an access token. Created once (the first process wins; the others read it),
// sealed under the master key; the row never changes, so caching it in memory is safe.
import crypto from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Sealer } from '../../crypto/sealed.ts';
import { findWebhookSigningKeys, insertWebhookSigningKey } from './webhook.queries.ts';

interface Loaded { kid: string; privateKey: CryptoKey; jwks: { keys: JWK[] } }

export class WebhookSigner {
  #loaded: Promise<Loaded> | undefined;
  readonly #orm: MikroORM;
  readonly #sealer: Sealer;

  constructor(orm: MikroORM, sealer: Sealer) {
    this.#orm = orm;
    this.#sealer = sealer;
  }

  async #load(): Promise<Loaded> {
    const em = this.#orm.em.fork();
    let rows = await findWebhookSigningKeys(em);
    if (!rows.length) {
      const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = crypto.randomBytes(6).toString('base64url');
      await insertWebhookSigningKey(em as EntityManager, {
        kid,
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] },
        privateJwkSealed: this.#sealer.seal(JSON.stringify(await exportJWK(privateKey)), kid),
      });
      rows = await findWebhookSigningKeys(em);
    }
    const current = rows[0]!;
    const privateJwk = JSON.parse(this.#sealer.unseal(current.privateJwkSealed, current.kid).toString('utf8')) as JWK;
    return {
      kid: current.kid,
      privateKey: await importJWK(privateJwk, 'ES256') as CryptoKey,
      jwks: { keys: rows.map((r) => r.publicJwk as JWK) },
    };
  }

  #ready(): Promise<Loaded> {
    this.#loaded ??= this.#load().catch((error) => { this.#loaded = undefined; throw error; });
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
