// The links between upstream identities and persons (brokered sign-in).
import type { EntityManager } from '@mikro-orm/postgresql';
import { UpstreamIdentity, type UpstreamKind } from './upstream-identity.entity.ts';

export function findUpstreamIdentity(em: EntityManager, poolOwnerId: string, kind: UpstreamKind, providerId: string, subject: string) {
  return em.findOne(UpstreamIdentity, { organization: poolOwnerId, kind, providerId, subject }, { populate: ['person'] });
}
