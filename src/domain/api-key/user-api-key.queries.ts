// Data access for per-user API keys. Rules live in user-api-key.service.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UserApiKey } from './user-api-key.entity.ts';
import type { AccessPoint } from '../session/session.entity.ts';

export const findUserApiKey = (em: EntityManager, id: string) => em.findOne(UserApiKey, { id });

/** An active key by the SHA-256 of its clear value, with its person. */
export const findActiveUserApiKeyByHash = (em: EntityManager, keyHash: string) =>
  em.findOne(UserApiKey, { keyHash, isActive: true }, { populate: ['person'] });

export const userApiKeysOfOrganization = (em: EntityManager, organizationId: string) =>
  em.find(UserApiKey, { organization: organizationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });

export const userApiKeysOfPerson = (em: EntityManager, personId: string) =>
  em.find(UserApiKey, { person: personId }, { orderBy: { createdAt: 'asc', id: 'asc' } });

/** Records a use unless one was recorded less than `everySeconds` ago (one guarded UPDATE). */
export async function recordKeyUse(em: EntityManager, keyId: string, at: AccessPoint, everySeconds: number): Promise<void> {
  await em.execute(
    `update user_api_key set last_use = ?, last_used_at = now()
     where id = ? and (last_used_at is null or last_used_at < now() - make_interval(secs => ?))`,
    [JSON.stringify(at), keyId, everySeconds]);
}
