// Builds, for any REST declaration or GraphQL root field, a request aimed at organization A's
// things: path parameters, query, body and GraphQL arguments are filled from the fixture by name,
// and from the JSON Schema or GraphQL type otherwise. Operations added later join by themselves;
// one whose inputs cannot be built fails the matrix.
import crypto from 'node:crypto';
import {
  getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import type { RouteDeclaration } from '../../src/rest/route.ts';
import type { Fixture } from './caller-fixture.ts';

type Json = Record<string, any>;

/** The person an operation acts on: P (the key holder) where the rule names the caller, Q else. */
function valueByName(f: Fixture, name: string, context: string, self: boolean): unknown {
  const person = self ? f.persons.p : f.persons.q;
  switch (name) {
    case 'tenant_id': case 'tenantId': return f.tenantId;
    case 'user_id': case 'person_id': case 'personId': case 'userId': return person;
    case 'users_ids': case 'personIds': case 'ids': case 'person_ids': return [f.persons.q];
    case 'group_name': case 'group': return f.group;
    case 'groups': return [f.group];
    case 'role_name': case 'role': return f.role;
    case 'roles': return [f.role];
    case 'permission_name': case 'permission': return f.permission;
    case 'permissions': return [f.permission];
    // An SSO credentials' client id is the upstream provider's, not one of A's OAuth clients: another
    // organization may hold the same one, so it does not aim a request at A.
    case 'client_id': case 'clientId': return /sso/i.test(context) ? undefined : f.clientId;
    case 'key_id': return f.victimKeyId;
    case 'username': return 'quinn';
    case 'session_id': case 'credential_id': return crypto.randomUUID();
    case 'ip': return '203.0.113.9';
    case 'name':
      if (/group/i.test(context)) return f.group;
      if (/role/i.test(context)) return f.role;
      if (/permission/i.test(context)) return f.permission;
      return undefined;
    case 'id':
      if (/apikey/i.test(context)) return f.victimKeyId;
      if (/person/i.test(context)) return person;
      return crypto.randomUUID();
    default: return undefined;
  }
}

/** A value that satisfies a JSON Schema as far as a sampler can (enough to reach the gate's second look). */
function sample(schema: Json | undefined, name: string, f: Fixture, context: string, self: boolean): unknown {
  const known = valueByName(f, name, context, self);
  if (known !== undefined) return known;
  if (!schema) return 'x';
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return sample(options.find((o: Json) => o.type !== 'null') ?? options[0], name, f, context, self);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], key, f, context, self);
      return out;
    }
    case 'array': return schema.minItems ? [sample(schema.items, name, f, context, self)] : [];
    case 'integer': case 'number': return schema.minimum ?? 1;
    case 'boolean': return false;
    case 'string':
      if (schema.format === 'uri') return 'https://app.example/cb';
      if (schema.format === 'email' || /email/.test(name)) return `${name}-matrix@example.com`;
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default: return 'x';
  }
}

export interface RestRequest { path: string; body?: unknown; aimed: boolean }

function mentions(f: Fixture, value: unknown): boolean {
  if (typeof value === 'string') return f.aValues.has(value);
  if (Array.isArray(value)) return value.some((v) => mentions(f, v));
  if (value && typeof value === 'object') return Object.values(value).some((v) => mentions(f, v));
  return false;
}

export function restRequest(f: Fixture, route: RouteDeclaration, self: boolean): RestRequest {
  let aimed = false;
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = valueByName(f, name, route.operationId, self) ?? 'x';
    aimed ||= mentions(f, value);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const p of route.parameters ?? []) {
    if (p.in !== 'query' || !p.required) continue;
    const value = sample(p.schema, p.name, f, route.operationId, self);
    aimed ||= mentions(f, value);
    query.set(p.name, String(value));
  }
  let body: unknown;
  if (route.body && route.body.kind !== 'multipart') {
    body = sample(route.body.schema, '', f, route.operationId, self) ?? {};
    aimed ||= mentions(f, body);
  }
  const search = query.toString();
  return { path: search ? `${path}?${search}` : path, body, aimed };
}

/** Types /graphql cannot carry (an Upload only comes through the REST engine). */
export class Unreachable extends Error {}

function graphqlValue(type: GraphQLInputType, name: string, f: Fixture, context: string, self: boolean): unknown {
  const known = valueByName(f, name, context, self);
  if (known !== undefined) return isListType(isNonNullType(type) ? type.ofType : type) && !Array.isArray(known) ? [known] : known;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [graphqlValue(inner.ofType, name, f, context, self)];
  const named = getNamedType(inner);
  if (named.name === 'OrganizationSelector') return { tenantId: f.tenantId };
  if (isInputObjectType(named)) {
    const out: Json = {};
    for (const field of Object.values(named.getFields())) {
      if (isNonNullType(field.type) || valueByName(f, field.name, context, self) !== undefined && field.name === 'tenantId') {
        out[field.name] = graphqlValue(field.type, field.name, f, context, self);
      }
    }
    return out;
  }
  if (isEnumType(named)) return named.getValues()[0].value;
  switch (named.name) {
    case 'Int': case 'Float': return 1;
    case 'Boolean': return false;
    case 'JSON': case 'JSONObject': return {};
    case 'DateTime': return new Date().toISOString();
    case 'Region': return 'us-iowa';
    case 'ID': return crypto.randomUUID();
    case 'String': return 'x';
    default: throw new Unreachable(`/graphql cannot carry a ${named.name}`);
  }
}

export interface GraphQLRequest { query: string; variables: Json; aimed: boolean }

export function graphqlRequest(f: Fixture, root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>, self: boolean): GraphQLRequest {
  const variables: Json = {};
  const definitions: string[] = [];
  const args: string[] = [];
  for (const arg of field.args) {
    const aims = arg.name === 'org' || arg.name === 'select';
    if (!isNonNullType(arg.type) && !aims) continue;
    variables[arg.name] = graphqlValue(arg.type, arg.name, f, field.name, self);
    definitions.push(`$${arg.name}: ${String(arg.type)}`);
    args.push(`${arg.name}: $${arg.name}`);
  }
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  const query = `${root === 'Mutation' ? 'mutation' : 'query'} Matrix${definitions.length ? `(${definitions.join(', ')})` : ''} `
    + `{ ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
  return { query, variables, aimed: mentions(f, variables) };
}
