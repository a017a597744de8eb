import type { Resolvers } from '../generated/types.ts';
import type { GraphQLContext } from '../context.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';
import {
  messageTemplateOf, setMessageTemplate, setTokenTemplate, templateNames, tokenTemplateOf,
} from '../../domain/organization/templates.ts';

const org = ({ em, principal }: GraphQLContext) => resolveManagedOrganization(em, principal);

export const organizationTemplateResolvers: Resolvers = {
  Organization: {
    messageTemplateNames: () => [...templateNames()],
    messageTemplate: (o, { name }) => messageTemplateOf(o, name),
    tokenTemplate: (o) => tokenTemplateOf(o),
  },
  Mutation: {
    setMessageTemplate: async (_, { name, template }, ctx) => setMessageTemplate(ctx.em, await org(ctx), name, {
      senderName: template.senderName ?? undefined, subject: template.subject ?? undefined, body: template.body ?? undefined,
    }),
    setTokenTemplate: async (_, { content }, ctx) => setTokenTemplate(ctx.em, await org(ctx), content),
  },
};
