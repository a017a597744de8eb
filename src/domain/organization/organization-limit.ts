// How many rows of a kind one organization may hold (external credentials, SSO providers, …):
// past the limit a creation is refused with 402, as SlashID answers.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from './organization.entity.ts';
import { lockOrganizationRow } from './api-key.queries.ts';
import { PaymentRequired } from '../errors.ts';

export interface OrganizationLimit {
  /** At most this many per organization. */
  max: number;
  /** The rows as the message names them: "An organization holds at most {max} {what}". */
  what: string;
  count: (em: EntityManager, organizationId: string) => Promise<number>;
}

/**
 * Refuses one more row when the organization holds `limit.max` already. Creations of one
 * organization queue on its row, so parallel ones cannot pass the limit together: call it in the
 * creating transaction, before the row is created.
 */
export async function assertRoomForOneMore(em: EntityManager, org: Organization, limit: OrganizationLimit): Promise<void> {
  await lockOrganizationRow(em, org.id);
  if ((await limit.count(em, org.id)) >= limit.max) {
    throw new PaymentRequired(`An organization holds at most ${limit.max} ${limit.what}; delete one first`);
  }
}
