// Data access for the hosted sign-in page's identifier step. Rules live in sign-in-methods.ts.
import type { EntityManager } from '@mikro-orm/postgresql';

/** The kinds of credential a person holds (password, zkp, public-key, totp). */
export async function credentialTypesOf(em: EntityManager, personId: string): Promise<Set<string>> {
  const rows = await em.execute<{ type: string }[]>(`select distinct type from credential where person_id = ?`, [personId]);
  return new Set(rows.map((r) => r.type));
}

/** The same statement for nobody: an unknown identifier costs what a known one does. */
export async function noCredentialTypes(em: EntityManager): Promise<void> {
  await em.execute(`select distinct type from credential where person_id = ?`, ['00000000-0000-0000-0000-000000000000']);
}
