// Data access for signing keys. Rules (creation, rotation, what is live) live in keys.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SigningKey } from './signing-key.entity.ts';

export function countSigningKeys(em: EntityManager): Promise<number> {
  return em.count(SigningKey, {});
}

/** Every stored key, newest first. */
export function findSigningKeys(em: EntityManager): Promise<SigningKey[]> {
  return em.find(SigningKey, {}, { orderBy: { createdAt: 'desc' } });
}

/** The keys not rotated yet (one per algorithm once ensured). */
export function findCurrentSigningKeys(em: EntityManager): Promise<SigningKey[]> {
  return em.find(SigningKey, { rotatedAt: null });
}

/** Serializes key creation and rotation across processes, until the transaction ends. */
export async function lockSigningKeys(tx: EntityManager): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(4242001)`);
}
