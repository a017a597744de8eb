// Data access for the SAML sign-in: pending AuthnRequests (spent once) and used assertion ids.
import type { EntityManager } from '@mikro-orm/postgresql';
import { SamlRequest } from './saml-request.entity.ts';

export function findPendingSamlRequest(em: EntityManager, id: string): Promise<SamlRequest | null> {
  return em.findOne(SamlRequest, { id, usedAt: null, expiresAt: { $gt: new Date() } }, { populate: ['provider'] });
}

/** Spends the request: true for exactly one caller, however many race. */
export async function consumeSamlRequest(em: EntityManager, id: string): Promise<boolean> {
  const rows = await em.getConnection().execute(
    'update saml_request set used_at = now() where id = ? and used_at is null and expires_at > now() returning id', [id]);
  return rows.length === 1;
}

/** Records an accepted assertion: false when it was accepted before (a replay), in one statement. */
export async function recordAssertionUse(em: EntityManager, providerId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
  const rows = await em.getConnection().execute(
    'insert into saml_assertion_use (provider_id, assertion_id, expires_at) values (?, ?, ?) on conflict do nothing returning assertion_id',
    [providerId, assertionId, expiresAt]);
  return rows.length === 1;
}

