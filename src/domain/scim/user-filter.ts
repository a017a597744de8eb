// SCIM filters over Users (RFC 7644 §3.4.2.2), compiled to SQL with bound parameters only. The
// tree comes from the persons' parser; this maps SCIM attribute paths onto the person's columns,
// its handles and `scim_profile`. Case rules follow each attribute's `caseExact` (RFC 7643 §7):
// userName, emails and the profile's strings compare case-insensitively, id and externalId exactly.
import { caseFolded } from '../person/handles.ts';
import { fail, parseScimFilter, type CompareOp, type Filter, type SqlFragment, type Value } from '../person/scim-filter.ts';
import { URN } from './scim-schemas.ts';
import { e164Of, PHONE_SEPARATORS } from './user-resource.ts';

type Kind = 'text' | 'bool' | 'time';
/**
 * An SQL expression for an attribute; `folded`: the column already holds the case-folded value;
 * `normalize`: how a filter's value is written the way the column stores it.
 */
export interface Column {
  expr: string; kind: Kind; caseExact?: boolean; folded?: boolean; normalize?: (value: string) => string;
  /** A comparison answered from an indexed table instead of `expr` per row: `p.id in (select … where <column> op ?)`. */
  lookup?: { rows: (orgParam: string) => string; column: Column };
}

const profileText = (path: string): Column => ({ expr: `(p.scim_profile #>> '{${path}}')`, kind: 'text' });

const SCALARS: Record<string, Column> = {
  id: { expr: 'p.id::text', kind: 'text', caseExact: true },
  // Compared through the handle's unique index (organization, type, normalized), not per person.
  username: {
    expr: `(select h.normalized from handle h where h.person_id = p.id and h.type = 'username' limit 1)`, kind: 'text', folded: true,
    lookup: {
      rows: (org) => `p.id in (select h.person_id from handle h where h.organization_id = ${org} and h.type = 'username' and `,
      column: { expr: 'h.normalized', kind: 'text', folded: true },
    },
  },
  externalid: { expr: 'p.external_id', kind: 'text', caseExact: true },
  active: { expr: 'p.active', kind: 'bool' },
  locale: { expr: 'p.locale', kind: 'text' },
  'meta.created': { expr: 'p.created_at', kind: 'time' },
  'meta.lastmodified': { expr: 'p.updated_at', kind: 'time' },
  ...Object.fromEntries(['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'timezone']
    .map((k) => [k.toLowerCase(), profileText(k)])),
  ...Object.fromEntries(['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix']
    .map((k) => [`name.${k.toLowerCase()}`, profileText(`name,${k}`)])),
  ...Object.fromEntries(['employeeNumber', 'costCenter', 'organization', 'division', 'department']
    .map((k) => [`enterprise.${k.toLowerCase()}`, profileText(`enterprise,${k}`)])),
  'enterprise.manager.value': { ...profileText('enterprise,manager,value'), caseExact: true },
};

/**
 * Multi-valued attributes: the rows they range over (correlated to `p`) and their sub-attributes.
 * `groupScoped`: the rows are groups, bound to the owner of the group pool rather than of the persons.
 */
export interface MultiValued { rows: (orgParam: string) => string; subs: Record<string, Column>; groupScoped?: boolean }

const handleRows = (type: string) => (org: string) =>
  `p.id in (select h.person_id from handle h where h.organization_id = ${org} and h.type = '${type}' and `;
const handleSubs = (types: string, primary: string, folded: boolean): Record<string, Column> => ({
  value: { expr: 'h.normalized', kind: 'text', folded, caseExact: !folded },
  type: { expr: `coalesce(p.scim_profile -> '${types}' ->> h.normalized, 'work')`, kind: 'text' },
  primary: {
    expr: `(h.normalized = coalesce(p.scim_profile ->> '${primary}', (select h2.normalized from handle h2
      where h2.person_id = p.id and h2.type = h.type order by h2.created_at, h2.id limit 1)))`,
    kind: 'bool',
  },
});

/**
 * Phone numbers are stored in E.164 (`+1 (555) 123-4567` as `+15551234567`, src/domain/scim/user-resource.ts);
 * a filter's number is written the same way, and a partial one (co, sw, ew) loses the same separators.
 */
const PHONE_VALUE: Column = {
  expr: 'h.normalized', kind: 'text', caseExact: true, normalize: (value) => e164Of(value) ?? value.replace(PHONE_SEPARATORS, ''),
};

const MULTI: Record<string, MultiValued> = {
  emails: { rows: handleRows('email_address'), subs: handleSubs('emailTypes', 'primaryEmail', true) },
  phonenumbers: { rows: handleRows('phone_number'), subs: { ...handleSubs('phoneTypes', 'primaryPhone', false), value: PHONE_VALUE } },
  groups: {
    rows: (org) => `p.id in (select gm.person_id from group_member gm join access_group g on g.id = gm.group_id
      where g.organization_id = ${org} and `,
    groupScoped: true,
    subs: { value: { expr: 'gm.group_id::text', kind: 'text', caseExact: true }, display: { expr: 'coalesce(g.display_name, g.name)', kind: 'text' } },
  },
};

export const USER_FILTER_ATTRIBUTES = [
  ...Object.keys(SCALARS),
  ...Object.entries(MULTI).flatMap(([name, m]) => [name, ...Object.keys(m.subs).map((s) => `${name}.${s}`)]),
];

const CORE_PREFIX = `${URN.user.toLowerCase()}:`;
const ENTERPRISE_PREFIX = `${URN.enterprise.toLowerCase()}:`;

/** `urn:…:core:2.0:User:userName` → `username`; the Enterprise extension's attributes → `enterprise.*`. */
export function userAttributeAlias(path: string): string {
  if (path.startsWith(CORE_PREFIX)) return path.slice(CORE_PREFIX.length);
  if (path.startsWith(ENTERPRISE_PREFIX)) return `enterprise.${path.slice(ENTERPRISE_PREFIX.length)}`;
  return path;
}

export function parseUserFilter(filter: string): Filter {
  return parseScimFilter(filter, USER_FILTER_ATTRIBUTES, { valuePaths: Object.keys(MULTI), alias: userAttributeAlias });
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => '\\' + ch);
const SQL_OPS: Partial<Record<CompareOp, string>> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };

function compareColumn(column: Column, attr: string, op: CompareOp, value: Value): SqlFragment {
  if (value === null) {
    if (op === 'eq') return { sql: `${column.expr} is null`, params: [] };
    if (op === 'ne') return { sql: `${column.expr} is not null`, params: [] };
    fail(`${attr} ${op} null: null takes eq or ne`);
  }
  if (column.kind === 'bool') {
    if (typeof value !== 'boolean' || (op !== 'eq' && op !== 'ne')) fail(`${attr} takes eq or ne with true or false`);
    return { sql: `${column.expr} is ${(op === 'eq') === value ? '' : 'not '}true`, params: [] };
  }
  if (typeof value !== 'string') fail(`${attr} ${op} needs a "string" value`);
  if (column.kind === 'time') {
    if (!SQL_OPS[op] && op !== 'ne') fail(`${attr} is a date-time: use eq, ne, gt, ge, lt or le`);
    if (Number.isNaN(Date.parse(value))) fail(`${attr} ${op} needs a date-time such as "2026-01-31T12:00:00Z"`);
    return { sql: `${column.expr} ${op === 'ne' ? '<>' : SQL_OPS[op]} ?::timestamptz`, params: [value] };
  }
  const exact = column.caseExact || column.folded;
  const lhs = exact ? column.expr : `lower(${column.expr})`;
  const written = column.normalize ? column.normalize(value) : value;
  const v = column.caseExact ? written : caseFolded(written);
  switch (op) {
    case 'ne': return { sql: `coalesce(${lhs} <> ?, true)`, params: [v] };
    case 'co': return { sql: `${lhs} like ? escape '\\'`, params: [`%${escapeLike(v)}%`] };
    case 'sw': return { sql: `${lhs} like ? escape '\\'`, params: [`${escapeLike(v)}%`] };
    case 'ew': return { sql: `${lhs} like ? escape '\\'`, params: [`%${escapeLike(v)}`] };
    default: return { sql: `${lhs} ${SQL_OPS[op]} ?`, params: [v] };
  }
}

/**
 * Compiles a filter over users whose persons (and handles) are stored with `organizationId` (a person
 * pool's owner), their groups with `groupsOwnerId` (bound once per multi-valued test).
 */
export const userFilterToSql = (node: Filter, organizationId: string, groupsOwnerId = organizationId) =>
  filterToSqlWith({ SCALARS, MULTI }, node, organizationId, undefined, groupsOwnerId);

export interface FilterVocabulary { SCALARS: Record<string, Column>; MULTI: Record<string, MultiValued> }

export function filterToSqlWith(
  vocabulary: FilterVocabulary, node: Filter, organizationId: string, within?: string, groupsOwnerId = organizationId,
): SqlFragment {
  const { SCALARS, MULTI } = vocabulary;
  const userFilterToSql = (n: Filter, org: string, w?: string) => filterToSqlWith(vocabulary, n, org, w, groupsOwnerId);
  const splitMulti = (attr: string, w?: string) => splitAttr(MULTI, attr, w);
  const multi = (name: string, inner: SqlFragment): SqlFragment => ({
    sql: `${MULTI[name].rows('?')}${inner.sql})`, params: [MULTI[name].groupScoped ? groupsOwnerId : organizationId, ...inner.params],
  });
  switch (node.kind) {
    case 'and':
    case 'or': {
      const l = userFilterToSql(node.left, organizationId, within);
      const r = userFilterToSql(node.right, organizationId, within);
      return { sql: `(${l.sql} ${node.kind} ${r.sql})`, params: [...l.params, ...r.params] };
    }
    case 'not': {
      const inner = userFilterToSql(node.filter, organizationId, within);
      return { sql: `not coalesce(${inner.sql}, false)`, params: inner.params };
    }
    case 'valuePath':
      return multi(node.attr, userFilterToSql(node.filter, organizationId, node.attr));
    case 'present': {
      if (node.attr in MULTI) return multi(node.attr, { sql: 'true', params: [] });
      const [name, sub] = splitMulti(node.attr, within);
      if (name && !within) return multi(name, present(MULTI[name].subs[sub]));
      return present(name ? MULTI[name].subs[sub] : SCALARS[node.attr]);
    }
    case 'compare': {
      // `emails eq "x"` means its value; `emails.type eq "work"` means some email's type.
      const attr = node.attr in MULTI ? `${node.attr}.value` : node.attr;
      const [name, sub] = splitMulti(attr, within);
      if (name && !within) return multi(name, compareColumn(MULTI[name].subs[sub], attr, node.op, node.value));
      const lookup = !name && node.value !== null && node.op !== 'ne' ? SCALARS[attr].lookup : undefined;
      if (lookup) {
        const inner = compareColumn(lookup.column, attr, node.op, node.value);
        return { sql: `${lookup.rows('?')}${inner.sql})`, params: [organizationId, ...inner.params] };
      }
      return compareColumn(name ? MULTI[name].subs[sub] : SCALARS[attr], attr, node.op, node.value);
    }
  }
}

function splitAttr(MULTI: Record<string, MultiValued>, attr: string, within?: string): [string | undefined, string] {
  const dot = attr.indexOf('.');
  const name = dot > 0 ? attr.slice(0, dot) : '';
  if (name in MULTI) return [name, attr.slice(dot + 1)];
  if (within) fail(`${attr} is not a sub-attribute of ${within}`);
  return [undefined, attr];
}

const present = (column: Column): SqlFragment => ({
  sql: column.kind === 'text' ? `coalesce(${column.expr}, '') <> ''` : `${column.expr} is not null`, params: [],
});

/** The entry of `name` if the table has it itself (`__proto__`, `constructor`… are no attribute's names). */
export const ownEntry = <T>(table: Record<string, T>, name: string): T | undefined =>
  (Object.hasOwn(table, name) ? table[name] : undefined);

/** Attributes a list may be sorted by, and their SQL. */
export function userSortExpression(sortBy: string): string {
  const attr = userAttributeAlias(sortBy.toLowerCase());
  const column = ownEntry(SCALARS, attr) ?? (attr === 'emails' || attr === 'emails.value'
    ? { expr: `(select min(h.normalized) from handle h where h.person_id = p.id and h.type = 'email_address')`, kind: 'text' } : undefined);
  if (!column) fail(`sortBy: cannot sort by "${sortBy.slice(0, 64)}"; use userName, id, externalId, displayName, name.familyName, emails or meta.created`);
  return column.kind === 'text' && !column.caseExact && !column.folded ? `lower(${column.expr})` : column.expr;
}
