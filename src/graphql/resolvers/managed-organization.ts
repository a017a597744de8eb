// The organization a mutation acts on: the caller's, or the child it manages (organization.service.ts).
import type { GraphQLContext } from '../context.ts';
import { resolveManagedOrganization } from '../../domain/organization/organization.service.ts';

export const managedOrganizationOf = ({ em, principal }: GraphQLContext) => resolveManagedOrganization(em, principal);
