// PUT /organizations/api-keys: the organization gets a new key and every earlier one stops. The
// `api_key_notify` trigger tells every process's key cache at commit; the caller (the resolver)
// answers once this process has heard it, so the old key is refused everywhere by then.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey } from './api-key.entity.ts';
import { isActiveKey, lockOrganizationRow, revokeActiveKeysOf } from './api-key.queries.ts';
import { NotFound, Unauthenticated } from '../errors.ts';
import { timeOrderedUuid } from '../ids.ts';
import { newSecretToken, sha256Hex } from '../../crypto/secrets.ts';
import type { Principal } from '../principal.ts';
import { emitApiKeyRotated } from '../webhook/events.ts';

/** Rotates the key of the caller's organization; the new key in clear (shown once). */
export async function rotateOrganizationApiKey(em: EntityManager, principal: Principal): Promise<string> {
  // Rotations of one organization queue on its row; the second then finds its own key revoked
  // and is refused, so parallel rotations leave exactly one active key, the one answered.
  if (!(await lockOrganizationRow(em, principal.organizationId))) throw new NotFound('Organization not found');
  if (principal.keyId && !(await isActiveKey(em, principal.keyId))) {
    throw new Unauthenticated('This API key was replaced meanwhile; use the organization\'s current key');
  }
  await revokeActiveKeysOf(em, principal.organizationId, new Date());
  const apiKey = newSecretToken();
  const id = timeOrderedUuid();
  em.create(ApiKey, { id, organization: principal.organizationId, keyHash: sha256Hex(apiKey) });
  await em.flush();
  await emitApiKeyRotated(em, principal.organizationId, { key_id: id, key_kind: 'organization' });
  return apiKey;
}
