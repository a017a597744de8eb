// SCIM search across resource types (POST /.search at the tenant's root, RFC 7644 §3.4.3): the
// users, then the groups, one page over both. A filter naming an attribute only one type has makes
// the other type match nothing; a filter or sortBy neither type takes is 400 (invalidFilter).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Organization } from '../organization/organization.entity.ts';
import { ValidationFailed } from '../errors.ts';
import { listUsers, pageOf, type ListRequest, type ListResponse } from './users.service.ts';
import { groupSortExpression, listGroups } from './groups.service.ts';
import { userSortExpression } from './user-filter.ts';

const NOTHING: ListResponse = { totalResults: 0, startIndex: 1, itemsPerPage: 0, resources: [] };

/** The type's answer, or its refusal when the request names what the type does not have. */
async function attempt(list: () => Promise<ListResponse>): Promise<ListResponse | ValidationFailed> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof ValidationFailed) return error;
    throw error;
  }
}

/** `sortBy` for a type that can sort by it, else none (that type's part keeps its own order). */
function sortFor(expression: (sortBy: string) => string, req: ListRequest): ListRequest {
  if (!req.sortBy) return req;
  try {
    expression(req.sortBy);
    return req;
  } catch {
    return { ...req, sortBy: null };
  }
}

export async function searchAll(
  em: EntityManager, org: Organization, base: string, req: ListRequest, withMembers: boolean,
): Promise<ListResponse> {
  if (req.sortBy) {
    const sortable = [userSortExpression, groupSortExpression].some((expression) => sortFor(expression, req) === req);
    if (!sortable) userSortExpression(req.sortBy); // throws, naming what can be sorted by
  }
  const { offset, limit, startIndex } = pageOf(req);
  const users = await attempt(() => listUsers(em, org, base, { ...sortFor(userSortExpression, req), startIndex: offset + 1, count: limit }));
  const userPart = users instanceof ValidationFailed ? NOTHING : users;
  // The groups' part of the page starts where the users end.
  const groupOffset = Math.max(0, offset - userPart.totalResults);
  const groups = await attempt(() => listGroups(em, org, base, {
    ...sortFor(groupSortExpression, req), startIndex: groupOffset + 1, count: limit - userPart.resources.length,
  }, withMembers));
  if (users instanceof ValidationFailed && groups instanceof ValidationFailed) throw users;
  const groupPart = groups instanceof ValidationFailed ? NOTHING : groups;
  const resources = [...userPart.resources, ...groupPart.resources];
  return { totalResults: userPart.totalResults + groupPart.totalResults, startIndex, itemsPerPage: resources.length, resources };
}
