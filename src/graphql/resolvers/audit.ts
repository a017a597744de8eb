import type { Resolvers } from '../generated/types.ts';
import { listAuditEvents } from '../../domain/audit/audit.service.ts';
import { pageArgs, pageInfoOf } from './pagination.ts';

export const auditResolvers: Resolvers = {
  Query: {
    auditEvents: (_, { filter, first, after }, { em, principal }) => {
      const { limit, offset } = pageArgs({ first, after });
      return listAuditEvents(em, principal, filter ?? {}, limit, offset);
    },
  },
  AuditEventConnection: {
    nodes: (page) => page.events,
    totalCount: (page) => page.totalCount,
    pageInfo: (page) => pageInfoOf(page.offset, page.events.length, page.totalCount),
  },
};
