import type { Resolvers } from '../generated/types.ts';
import { managedOrganizationOf } from './managed-organization.ts';
import {
  messageTemplateOf, setMessageTemplate, setTokenTemplate, templateNames, tokenTemplateOf,
} from '../../domain/organization/templates.ts';

export const organizationTemplateResolvers: Resolvers = {
  Organization: {
    messageTemplateNames: () => [...templateNames()],
    messageTemplate: (o, { name }) => messageTemplateOf(o, name),
    tokenTemplate: (o) => tokenTemplateOf(o),
  },
  Mutation: {
    setMessageTemplate: async (_, { name, template }, ctx) => setMessageTemplate(ctx.em, await managedOrganizationOf(ctx), name, {
      senderName: template.senderName ?? undefined, subject: template.subject ?? undefined, body: template.body ?? undefined,
    }),
    setTokenTemplate: async (_, { content }, ctx) => setTokenTemplate(ctx.em, await managedOrganizationOf(ctx), content),
  },
};
