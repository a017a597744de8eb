// A page of persons reads the lists its selection asks for (handles, groups, roles and their
// permissions, permissions, attributes) before its nodes are completed, so that each person's list
// fields resolve synchronously from the loaders (ListLoader.get) instead of through a promise per
// field and person: for the nested `persons(first: 100)` query that was about a thousand promises
// and their garbage per request. The statements are the same the field resolvers would issue (one
// per list, batched over the page), only issued earlier; a field this does not recognise, or one
// under @skip/@include, is left to its resolver as before. Read errors are left to the fields too:
// a failed fill keeps nothing, and each field then loads (and reports) its own.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { PersonView } from '../domain/person/person.entity.ts';
import type { PersonListsWanted } from '../domain/person/person-lists.queries.ts';
import { decideAccess } from '../domain/auth/access-rule.ts';
import { accessRulesOf } from './auth-gate.ts';
import type { GraphQLContext } from './context.ts';

/** The fields selected (with their sub-selections) under `set`, through fragments; null for a field under a directive. */
function collectFields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, into: Map<string, FieldNode[]>) {
  for (const selection of set?.selections ?? []) {
    if (selection.directives?.length) continue;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      into.set(name, [...(into.get(name) ?? []), selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectFields(selection.selectionSet, info, into);
    } else {
      collectFields(info.fragments[selection.name.value]?.selectionSet, info, into);
    }
  }
  return into;
}

const subFields = (nodes: FieldNode[] | undefined, info: GraphQLResolveInfo) => {
  const into = new Map<string, FieldNode[]>();
  for (const node of nodes ?? []) collectFields(node.selectionSet, info, into);
  return into;
};

/** The person fields `info`'s field (PersonConnection.nodes or .edges) selects. */
function personFieldsOf(info: GraphQLResolveInfo): Map<string, FieldNode[]> {
  const selected = subFields(info.fieldNodes as FieldNode[], info);
  return info.fieldName === 'edges' ? subFields(selected.get('node'), info) : selected;
}

/** Whether the caller may read `Person.<field>` (of the page's first person): no reads for a field the gate refuses. */
function admitted(info: GraphQLResolveInfo, ctx: GraphQLContext, field: string, personId: string) {
  try {
    const rule = accessRulesOf(info.schema).get(`Person.${field}`);
    if (rule) decideAccess(rule, ctx.principal, () => personId);
    return true;
  } catch {
    // Refused (or a schema without the gate's rules): the field's own resolver decides, and reads if it may.
    return false;
  }
}

const HANDLE_FIELDS = ['handles', 'username', 'email'];
const ROLE_FIELDS = ['roles', 'roleNames', 'rolesEtag', 'permissions'];
const ADDITIONAL_FIELDS = ['additionalPermissions', 'additionalPermissionsEtag', 'permissions'];
const ATTRIBUTE_FIELDS = ['attributes', 'bucketAttributes'];

/**
 * `persons` once the lists their selection reads are loaded, or `persons` itself (no promise) when
 * it reads none.
 */
export function prefetchPersonLists<P extends PersonView>(
  persons: P[], info: GraphQLResolveInfo, ctx: GraphQLContext,
): P[] | Promise<P[]> {
  if (persons.length === 0) return persons;
  const fields = personFieldsOf(info);
  const wants = (names: string[]) => names.some((name) => fields.has(name) && admitted(info, ctx, name, persons[0].id));
  const rolePermissions = fields.has('permissions')
    || [...subFields(fields.get('roles'), info).keys()].some((name) => name === 'permissions' || name === 'etag');
  const roles = wants(ROLE_FIELDS);
  const want: PersonListsWanted = {
    handles: wants(HANDLE_FIELDS), groups: wants(['groups']), roles, rolePermissions: roles && rolePermissions,
    additionalPermissions: wants(ADDITIONAL_FIELDS), attributes: wants(ATTRIBUTE_FIELDS),
  };
  if (!Object.values(want).some(Boolean)) return persons;
  return ctx.loaders.fillPersonLists(persons.map((p) => p.id), want).then(() => persons);
}
