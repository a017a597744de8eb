// The one gate: every field that declares `@auth` (schema/auth.graphql) runs its resolver only after
// decideAccess admits the caller; a root field of Query or Mutation without `@auth` stops the
// server from starting. Every non-public mutation runs in a transaction that also writes its audit
// record. REST, /graphql and every later face execute this same schema, so they inherit the rule.
import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver, getNamedType, isInputObjectType, Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLArgument,
  type GraphQLFieldConfig, type GraphQLInputType, type GraphQLSchema,
} from 'graphql';
import { assertRuleWellFormed, decideAccess, type AccessRule, type CallerKind } from '../domain/auth/access-rule.ts';
import type { Scope } from '../domain/auth/scopes.ts';
import { recordAuditEvent, type AuditTargets } from '../domain/audit/audit.service.ts';
import type { GraphQLContext } from './context.ts';
import { transactionalWithHooks } from '../db/transactions.ts';

const ROOT_TYPES = ['Query', 'Mutation'];
const rulesBySchema = new WeakMap<GraphQLSchema, Map<string, AccessRule>>();

function ruleOf(schema: GraphQLSchema, field: GraphQLFieldConfig<unknown, unknown>, where: string): AccessRule | undefined {
  const directive = getDirective(schema, field, 'auth')?.[0];
  if (!directive) return undefined;
  const rule: AccessRule = { allow: directive.allow as CallerKind[] };
  if (directive.scope != null) rule.scope = directive.scope as Scope;
  if (directive.self != null) rule.self = directive.self as string;
  assertRuleWellFormed(where, rule);
  if (rule.self && !(field.args && rule.self.split('.')[0] in field.args)) {
    throw new Error(`${where}: @auth self names "${rule.self}", which is not an argument of the field`);
  }
  return rule;
}

/** Reads the value at a dotted path of the arguments (`input.userId`). */
function argumentAt(args: Record<string, unknown>, path: string): string | null | undefined {
  let value: unknown = args;
  for (const key of path.split('.')) value = value == null ? undefined : (value as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : value == null ? null : String(value);
}

// Arguments that identify what a change is aimed at, by name or by type (ID); never secrets
// (tokens, hashes, claims and free-form params are neither).
const TARGET_NAMES = new Set(['name', 'group', 'groups', 'roles', 'permissions', 'permission', 'clientId', 'tenantId', 'ip', 'type']);
const MAX_TARGET_CHARS = 128;

function isTarget(name: string, type: GraphQLInputType): boolean {
  return getNamedType(type).name === 'ID' || TARGET_NAMES.has(name);
}

function targetValue(value: unknown): unknown {
  if (typeof value === 'string') return value.slice(0, MAX_TARGET_CHARS);
  if (Array.isArray(value)) return value.slice(0, 100).map(targetValue);
  return value;
}

function targetsOf(argDefs: readonly GraphQLArgument[], args: Record<string, unknown>): AuditTargets {
  const targets: AuditTargets = {};
  for (const arg of argDefs) {
    const value = args[arg.name];
    if (value == null) continue;
    const named = getNamedType(arg.type);
    if (isInputObjectType(named) && typeof value === 'object' && !Array.isArray(value)) {
      for (const field of Object.values(named.getFields())) {
        const inner = (value as Record<string, unknown>)[field.name];
        if (inner != null && isTarget(field.name, field.type)) targets[`${arg.name}.${field.name}`] = targetValue(inner);
      }
    } else if (isTarget(arg.name, arg.type)) {
      targets[arg.name] = targetValue(value);
    }
  }
  return targets;
}

/** The gated schema; throws at start-up when a root field declares no rule or a rule is malformed. */
export function applyAuthGate(schema: GraphQLSchema): GraphQLSchema {
  const rules = new Map<string, AccessRule>();
  const gated = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const where = `${typeName}.${fieldName}`;
      const rule = ruleOf(schema, field, where);
      if (!rule) {
        if (ROOT_TYPES.includes(typeName)) {
          throw new Error(`${where} declares no @auth rule: say who may call it (schema/auth.graphql)`);
        }
        return field;
      }
      rules.set(where, rule);
      const resolve = field.resolve ?? defaultFieldResolver;
      const target = (source: any, args: Record<string, unknown>, ctx: GraphQLContext) => () =>
        (typeName === 'Person' ? source?.id : rule.self ? argumentAt(args, rule.self) : undefined) ?? ctx.principal.personId;
      const audited = typeName === 'Mutation' && !rule.allow.includes('PUBLIC');
      const argDefs = Object.entries(field.args ?? {}).map(([name, a]) => ({ name, type: a.type }) as GraphQLArgument);
      return {
        ...field,
        resolve: audited
          ? (source, args, ctx: GraphQLContext, info) => {
            decideAccess(rule, ctx.principal, target(source, args, ctx));
            return transactionalWithHooks(ctx.em, async (em) => {
              const result = await resolve(source, args, { ...ctx, em }, info);
              await recordAuditEvent(em, ctx.principal, fieldName, targetsOf(argDefs, args), ctx.client, ctx.requestId);
              return result;
            });
          }
          : (source, args, ctx: GraphQLContext, info) => {
            decideAccess(rule, ctx.principal, target(source, args, ctx));
            return resolve(source, args, ctx, info);
          },
      };
    },
  });
  rulesBySchema.set(gated, rules);
  return gated;
}

/** The rule of every field that declares one, keyed `Type.field` (for REST pre-checks, docs, tests). */
export function accessRulesOf(schema: GraphQLSchema): Map<string, AccessRule> {
  const rules = rulesBySchema.get(schema);
  if (!rules) throw new Error('This schema was not built by applyAuthGate');
  return rules;
}

/**
 * The rules of every field an operation document selects, root and nested, through fragments: what
 * a fixed document (a REST declaration) needs from its caller, known before any argument is.
 */
export function documentRulesOf(schema: GraphQLSchema, document: DocumentNode): AccessRule[] {
  const rules = accessRulesOf(schema);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('The document has no operation');
  const root = operation.operation === 'mutation' ? 'Mutation' : 'Query';
  const found: AccessRule[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      const rule = parent && rules.get(`${parent.name}.${node.name.value}`);
      if (rule) found.push(rule);
      else if (parent?.name === root && node.name.value !== '__typename') throw new Error(`${root}.${node.name.value} has no rule`);
    },
  }));
  return found;
}
