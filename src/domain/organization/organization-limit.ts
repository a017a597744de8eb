// How many rows of a kind one organization may hold (external credentials, SSO providers, …):
// past the limit a creation is refused with 402, as SlashID answers.
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import type { Organization } from './organization.entity.ts';
import { lockOrganizationRow } from './api-key.queries.ts';
import { countRowsOf, type OrganizationRow } from './organization-rows.queries.ts';
import { PaymentRequired } from '../errors.ts';

export interface OrganizationLimit<T extends OrganizationRow> {
  /** The rows counted. */
  entity: EntityName<T>;
  /** At most this many per organization. */
  max: number;
  /** The rows as the message names them: "An organization holds at most {max} {what}". */
  what: string;
}

/**
 * Refuses one more row when the organization holds `limit.max` already. Creations of one
 * organization queue on its row, so parallel ones cannot pass the limit together: call it in the
 * creating transaction, before the row is created.
 */
export async function assertRoomForOneMore<T extends OrganizationRow>(
  em: EntityManager, org: Organization, limit: OrganizationLimit<T>,
): Promise<void> {
  await lockOrganizationRow(em, org.id);
  if ((await countRowsOf(em, limit.entity, org.id)) >= limit.max) {
    throw new PaymentRequired(`An organization holds at most ${limit.max} ${limit.what}; delete one first`);
  }
}
