import type { Resolvers } from '../generated/types.ts';
import { resolvePersonsOrganization, resolvePersonsOrganizations } from '../../domain/organization/organization.service.ts';
import {
  addHandles, createPerson, deletePerson, listPersons, removeHandle, updatePerson, upsertPerson, viewPerson,
} from '../../domain/person/person.service.ts';
import { importPersons, importTemplate } from '../../domain/person/bulk-import.service.ts';
import { organizationsOfPerson } from '../../domain/organization/organization.service.ts';
import type { GraphQLContext } from '../context.ts';
import { prefetchPersonLists } from '../person-prefetch.ts';
import type { PersonView } from '../../domain/person/person.entity.ts';
import type { OrganizationSelector } from '../generated/types.ts';
import { encodeCursor, pageArgs, pageInfoOf } from './pagination.ts';
import { batchCreatePersons, batchDeletePersons } from '../../domain/person/person.service.ts';

// Persons live with the owner of the caller's person pool (SlashID persons_org_id).
const orgOf = ({ em, principal }: GraphQLContext, select?: OrganizationSelector | null) =>
  resolvePersonsOrganization(em, principal, select);

const firstOfType = (handles: { type: string; value: string }[], type: string) => handles.find((h) => h.type === type)?.value ?? null;
const firstHandle = (ctx: GraphQLContext, personId: string, type: string) => {
  const handles = ctx.loaders.handlesByPerson.get(personId);
  return Array.isArray(handles) ? firstOfType(handles, type) : handles.then((loaded) => firstOfType(loaded, type));
};

export const personResolvers: Resolvers = {
  Query: {
    // The caller's own organization (and its person pool), read in the person's own statement.
    person: (_, { id }, ctx) => viewPerson(ctx.em, ctx.principal.organizationId, id),
    persons: async (_, args, ctx) => {
      return listPersons(ctx.em, {
        organizationId: ctx.principal.organizationId, ...pageArgs(args), filter: args.filter, orderBy: args.orderBy,
      });
    },
    personImportTemplate: () => importTemplate(),
  },
  Mutation: {
    // `groups` and `roles` name those of the acting organization's group and RBAC pools, which may not be the person pool owner's.
    createPerson: async (_, { org, input }, ctx) => {
      const { owner, acting } = await resolvePersonsOrganizations(ctx.em, ctx.principal, org);
      return createPerson(ctx.em, owner, input, ctx.services.defaultRegion, ctx.services.sealer, acting);
    },
    upsertPerson: async (_, { org, input }, ctx) => {
      const { owner, acting } = await resolvePersonsOrganizations(ctx.em, ctx.principal, org);
      return upsertPerson(ctx.em, owner, input, ctx.services.defaultRegion, ctx.services.sealer, acting);
    },
    updatePerson: async (_, { org, id, input }, ctx) => {
      const { owner, acting } = await resolvePersonsOrganizations(ctx.em, ctx.principal, org);
      return updatePerson(ctx.em, owner, id, input, acting);
    },
    batchCreatePersons: async (_, { org, inputs }, ctx) => {
      const { owner, acting } = await resolvePersonsOrganizations(ctx.em, ctx.principal, org);
      return batchCreatePersons(ctx.em, owner, inputs, ctx.services.defaultRegion, acting);
    },
    batchDeletePersons: async (_, { org, ids }, ctx) => batchDeletePersons(ctx.em, await orgOf(ctx, org), ids),
    deletePerson: async (_, { org, id }, ctx) => deletePerson(ctx.em, await orgOf(ctx, org), id),
    addHandles: async (_, { org, personId, handles }, ctx) => addHandles(ctx.em, await orgOf(ctx, org), personId, handles),
    removeHandle: async (_, { org, personId, handle }, ctx) => removeHandle(ctx.em, await orgOf(ctx, org), personId, handle),
    importPersons: async (_, { org, csv }, ctx) => {
      const { owner, acting } = await resolvePersonsOrganizations(ctx.em, ctx.principal, org);
      return importPersons(ctx.em, owner, csv, ctx.services.defaultRegion, acting);
    },
  },
  Person: {
    organization: async (person, _, { loaders }) => (await loaders.organizationById.load(person.organization.id))!,
    handles: (person, _, { loaders }) => loaders.handlesByPerson.get(person.id),
    username: (person, _, ctx) => firstHandle(ctx, person.id, 'username'),
    email: (person, _, ctx) => firstHandle(ctx, person.id, 'email_address'),
    organizations: (person, { filter }, ctx) => organizationsOfPerson(ctx.em, person, filter),
  },
  PersonConnection: {
    nodes: (page, _, ctx, info) => prefetchPersonLists(page.persons, info, ctx),
    edges: (page, _, ctx, info) => {
      const edgesOf = (persons: PersonView[]) => persons.map((node, i) => ({ node, cursor: encodeCursor(page.offset + i + 1) }));
      const persons = prefetchPersonLists(page.persons, info, ctx);
      return Array.isArray(persons) ? edgesOf(persons) : persons.then(edgesOf);
    },
    totalCount: (page) => page.totalCount,
    pageInfo: (page) => pageInfoOf(page.offset, page.persons.length, page.totalCount),
  },
};
