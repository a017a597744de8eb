// SCIM 2.0 filters over organizations (GET /persons/{person_id}/organizations, GET
// /organizations/suborganizations, where SlashID says `name`): the persons'
// parser with the organization attributes, evaluated over the few organizations of a person.
import { parseScimFilter, type Filter, type Value } from '../person/scim-filter.ts';
import { ValidationFailed } from '../errors.ts';

export const ORGANIZATION_ATTRIBUTES = ['id', 'org_name', 'name', 'tenant_name', 'parent_id', 'parent_org_id'];

export type OrganizationRecord = Record<'id' | 'org_name' | 'tenant_name' | 'parent_id', string | null>;

function compare(actual: string | null, op: string, value: Value): boolean {
  if (value === null) return op === 'eq' ? actual === null : op === 'ne' ? actual !== null : false;
  if (typeof value !== 'string') {
    throw new ValidationFailed(`filter: ${op} needs a "string" value for organization attributes`,
      [{ loc: ['query', 'filter'], msg: `${op} needs a "string" value`, type: 'value_error' }]);
  }
  if (actual === null) return op === 'ne';
  // Names compare case-insensitively, as SCIM string attributes do unless caseExact.
  const a = actual.toLowerCase();
  const v = value.toLowerCase();
  switch (op) {
    case 'eq': return a === v;
    case 'ne': return a !== v;
    case 'co': return a.includes(v);
    case 'sw': return a.startsWith(v);
    case 'ew': return a.endsWith(v);
    default: return false;
  }
}

function matches(filter: Filter, org: OrganizationRecord): boolean {
  switch (filter.kind) {
    case 'and': return matches(filter.left, org) && matches(filter.right, org);
    case 'or': return matches(filter.left, org) || matches(filter.right, org);
    case 'not': return !matches(filter.filter, org);
    case 'present': return org[attributeOf(filter.attr)] != null;
    case 'compare': return compare(org[attributeOf(filter.attr)], filter.op, filter.value);
    case 'valuePath': return false; // not parsed: no attribute here takes a value filter
  }
}

const ALIASES: Record<string, keyof OrganizationRecord> = { parent_org_id: 'parent_id', name: 'org_name' };
const attributeOf = (attr: string) => (ALIASES[attr] ?? attr) as keyof OrganizationRecord;

/** A predicate for `filter` (all organizations when it is empty); throws VALIDATION_FAILED if malformed. */
export function organizationFilter(filter: string | null | undefined): (org: OrganizationRecord) => boolean {
  if (filter == null || filter.trim() === '') return () => true;
  const tree = parseScimFilter(filter, ORGANIZATION_ATTRIBUTES);
  return (org) => matches(tree, org);
}
